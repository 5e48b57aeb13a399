// Deployed into the cluster's resource group: read workloads through the Kubernetes API (Azure RBAC for
// Kubernetes), and read the API server address and CA through Azure Resource Manager.

param clusterName string
param principalId string

var aksRbacReaderRoleId = '7f6c6a51-bcf8-42ba-9220-52d62157d7db'
var aksClusterUserRoleId = '4abbcc35-e782-43d8-92c5-2d3f1bd2253f'

resource cluster 'Microsoft.ContainerService/managedClusters@2024-05-01' existing = {
  name: clusterName
}

resource rbacReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(cluster.id, principalId, aksRbacReaderRoleId)
  scope: cluster
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', aksRbacReaderRoleId)
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
