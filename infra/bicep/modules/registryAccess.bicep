// Deployed into the registry's resource group: the app identity's roles on one registry, and its login server.

param registryName string
@description('true when the registry uses "RBAC Registry + ABAC Repository Permissions" mode.')
param abacRepositoryPermissions bool
param principalId string

var acrPullRoleId = '7f951dda-4ed3-4680-a7ca-43fe172d538d'
var acrDeleteRoleId = 'c2f4ef07-c644-48eb-af81-4b1b4947fb11'
var repositoryContributorRoleId = '2efddaa5-3f1f-4df3-97df-af3f13818f4c'
var catalogListerRoleId = 'bfdb9389-c9a5-478a-bb2f-ba9ca092c3c7'

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

// "RBAC Registry Permissions" mode: read (list repositories, manifests, tags) and delete.
resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!abacRepositoryPermissions) {
  name: guid(registry.id, principalId, acrPullRoleId)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource acrDelete 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!abacRepositoryPermissions) {
  name: guid(registry.id, principalId, acrDeleteRoleId)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrDeleteRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// ABAC mode: AcrPull/AcrDelete do not apply there; the repository roles do, and they exclude listing the
// catalog, which needs its own role.
resource repositoryContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (abacRepositoryPermissions) {
  name: guid(registry.id, principalId, repositoryContributorRoleId)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', repositoryContributorRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource catalogLister 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (abacRepositoryPermissions) {
  name: guid(registry.id, principalId, catalogListerRoleId)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', catalogListerRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output loginServer string = registry.properties.loginServer
