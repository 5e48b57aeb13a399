// Deployed into the registry's resource group: the app identity's roles on one registry, its pull logs, and its
// login server.

param registryName string
@description('true when the registry uses "RBAC Registry + ABAC Repository Permissions" mode.')
param abacRepositoryPermissions bool
param principalId string
@description('Grant push (AcrPush, or Repository Writer on ABAC registries) so that restore can put tags back.')
param allowRestore bool
@description('Resource id of a Log Analytics workspace for the registry\'s pull logs, or \'\' for none.')
param pullLogsWorkspaceResourceId string

var acrPullRoleId = '7f951dda-4ed3-4680-a7ca-43fe172d538d'
var acrDeleteRoleId = 'c2f4ef07-c644-48eb-af81-4b1b4947fb11'
var acrPushRoleId = '8311e382-0749-4cb8-b61a-304f252e45ec'
var catalogListerRoleId = 'bfdb9389-c9a5-478a-bb2f-ba9ca092c3c7'
var repositoryWriterRoleId = '2a1e307c-b015-4ebd-883e-5b7698a07328'

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

// Restore pushes a manifest's own bytes under its old tags; nothing else here writes.
resource acrPush 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!abacRepositoryPermissions && allowRestore) {
  name: guid(registry.id, principalId, acrPushRoleId)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPushRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// ABAC mode: AcrPull/AcrDelete do not apply there. The built-in Repository Contributor would also allow writes,
// so a custom role carries only what the app does: read and delete metadata (tags, manifests) and content.
// One definition per registry, assignable only there; its id and name are derived from the registry, so a
// second deployment against the same registry updates the same definition.
resource repositoryCleanerRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = if (abacRepositoryPermissions) {
  name: guid(registry.id, 'acr-retention-repository-cleaner')
  properties: {
    roleName: 'acr-retention repository cleaner ${registryName} ${uniqueString(registry.id)}'
    description: 'Read and delete tags, manifests and content in the repositories of one registry (acr-retention).'
    type: 'CustomRole'
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: [
          'Microsoft.ContainerRegistry/registries/repositories/metadata/read'
          'Microsoft.ContainerRegistry/registries/repositories/metadata/delete'
          'Microsoft.ContainerRegistry/registries/repositories/content/read'
          'Microsoft.ContainerRegistry/registries/repositories/content/delete'
        ]
        notDataActions: []
      }
    ]
    assignableScopes: [
      registry.id
    ]
  }
}

resource repositoryCleaner 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (abacRepositoryPermissions) {
  name: guid(registry.id, principalId, 'acr-retention-repository-cleaner')
  scope: registry
  properties: {
    roleDefinitionId: repositoryCleanerRole.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// The repository roles exclude listing the catalog, which needs its own role.
resource catalogLister 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (abacRepositoryPermissions) {
  name: guid(registry.id, principalId, catalogListerRoleId)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', catalogListerRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource repositoryWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (abacRepositoryPermissions && allowRestore) {
  name: guid(registry.id, principalId, repositoryWriterRoleId)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', repositoryWriterRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Every pull (and push, delete) of the registry goes to the workspace, where the app reads the last pull per
// manifest (policy.keepPulledWithin). Only the repository events: the login events are not needed.
resource pullLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (!empty(pullLogsWorkspaceResourceId)) {
  name: 'acr-retention-pull-logs'
  scope: registry
  properties: {
    workspaceId: pullLogsWorkspaceResourceId
    logs: [
      {
        category: 'ContainerRegistryRepositoryEvents'
        enabled: true
      }
    ]
  }
}

output loginServer string = registry.properties.loginServer
