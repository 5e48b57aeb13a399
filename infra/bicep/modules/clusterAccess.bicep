// Deployed into the cluster's resource group: read workloads through the Kubernetes API (Azure RBAC for
// Kubernetes), and read the API server address and CA through Azure Resource Manager.

param clusterName string
param principalId string
@description('true: a custom role with only the reads the inventory makes, instead of Azure Kubernetes Service RBAC Reader.')
param customClusterRole bool

var aksRbacReaderRoleId = '7f6c6a51-bcf8-42ba-9220-52d62157d7db'
var aksClusterUserRoleId = '4abbcc35-e782-43d8-92c5-2d3f1bd2253f'

resource cluster 'Microsoft.ContainerService/managedClusters@2024-05-01' existing = {
  name: clusterName
}

resource rbacReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!customClusterRole) {
  name: guid(cluster.id, principalId, aksRbacReaderRoleId)
  scope: cluster
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', aksRbacReaderRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// The kinds the inventory lists, and nothing else (no secrets, configmaps, services). Azure RBAC for Kubernetes
// has one "read" per kind, which covers get, list and watch. extraResources (Argo Rollouts, KEDA, ...) need
// their own grants: see infra/README.md.
resource inventoryReaderRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = if (customClusterRole) {
  name: guid(cluster.id, 'acr-retention-inventory-reader')
  properties: {
    roleName: 'acr-retention inventory reader ${clusterName} ${uniqueString(cluster.id)}'
    description: 'List the workloads whose images acr-retention keeps, in every namespace of one AKS cluster.'
    type: 'CustomRole'
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: [
          'Microsoft.ContainerService/managedClusters/pods/read'
          'Microsoft.ContainerService/managedClusters/replicationcontrollers/read'
          'Microsoft.ContainerService/managedClusters/podtemplates/read'
          'Microsoft.ContainerService/managedClusters/apps/deployments/read'
          'Microsoft.ContainerService/managedClusters/apps/replicasets/read'
          'Microsoft.ContainerService/managedClusters/apps/statefulsets/read'
          'Microsoft.ContainerService/managedClusters/apps/daemonsets/read'
          'Microsoft.ContainerService/managedClusters/apps/controllerrevisions/read'
          'Microsoft.ContainerService/managedClusters/batch/jobs/read'
          'Microsoft.ContainerService/managedClusters/batch/cronjobs/read'
        ]
        notDataActions: []
      }
    ]
    assignableScopes: [
      cluster.id
    ]
  }
}

resource inventoryReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (customClusterRole) {
  name: guid(cluster.id, principalId, 'acr-retention-inventory-reader')
  scope: cluster
  properties: {
    roleDefinitionId: inventoryReaderRole.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource clusterUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(cluster.id, principalId, aksClusterUserRoleId)
  scope: cluster
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', aksClusterUserRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
