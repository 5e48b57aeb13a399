using 'main.bicep'

param hostingPlan = 'FlexConsumption'

param registries = [
  {
    resourceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/registry-rg/providers/Microsoft.ContainerRegistry/registries/myregistry'
  }
  // A registry in "RBAC Registry + ABAC Repository Permissions" mode:
  // { resourceId: '/subscriptions/.../providers/Microsoft.ContainerRegistry/registries/other', abac: true }
]

param clusters = [
  {
    name: 'prod'
    resourceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/prod-rg/providers/Microsoft.ContainerService/managedClusters/prod'
  }
  // A cluster the app cannot reach, served by the in-cluster inventory server:
  // { name: 'edge', url: 'https://inventory.edge.example.com/images', audience: 'api://edge-inventory' }
]

// Nothing is deleted until this says 'delete'; read the dry-run reports first.
param retentionMode = 'dry-run'

param retentionPolicy = {
  keepRecent: 10
}

// Restore (acr-retention restore, POST /api/restore) needs push on the registries; off unless asked for.
param allowRestore = false

// Alerts on withheld, failed, unverified and missed runs go here; empty deploys none.
param alertEmail = ''

// Optional: pull logs for policy.keepPulledWithin, VNet integration (Flex only).
// param pullLogsWorkspaceId = '/subscriptions/.../resourceGroups/.../providers/Microsoft.OperationalInsights/workspaces/logs'
// param virtualNetworkSubnetId = '/subscriptions/.../resourceGroups/.../providers/Microsoft.Network/virtualNetworks/vnet/subnets/functions'
