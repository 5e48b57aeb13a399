// acr-retention: the Function App, its storage, telemetry and a user-assigned identity with least privilege.
// infra/terraform deploys the same; src/test/java/io/acrretention/infra checks that they stay equal.

@description('Azure region; defaults to the resource group\'s.')
param location string = resourceGroup().location

@description('Prefix of every resource name; uniqueString(resourceGroup().id) is appended for uniqueness.')
@minLength(2)
@maxLength(12)
param namePrefix string = 'acrret'

@description('FlexConsumption (default) or Consumption (Linux Y1).')
@allowed([
  'FlexConsumption'
  'Consumption'
])
param hostingPlan string = 'FlexConsumption'

@description('Java version of the Functions runtime.')
@allowed([
  '17'
  '21'
])
param javaVersion string = '17'

@description('Flex Consumption: the most instances the app scales out to.')
param maximumInstanceCount int = 40

@description('Flex Consumption: memory of one instance.')
@allowed([
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Registries to clean: [{resourceId, abac?}]; abac = true for "RBAC Registry + ABAC Repository Permissions" mode.')
@minLength(1)
param registries array

@description('Clusters whose images are kept: [{name, resourceId}] for AKS, or [{name, url, audience}] for an inventory endpoint.')
param clusters array

@description('dry-run (default: nothing is deleted, the reports say what would be) or delete.')
@allowed([
  'dry-run'
  'delete'
])
param retentionMode string = 'dry-run'

@description('Further retention policy settings (keepRecent, keepTags, ...); mode comes from retentionMode.')
param retentionPolicy object = {}

@description('NCRONTAB schedule of the timer-triggered run (six fields, UTC).')
param retentionSchedule string = '0 0 2 * * *'

@description('Optional blob path of the configuration in the run storage account; empty uses RETENTION_CONFIG.')
param retentionConfigBlob string = ''

@description('Tags on every resource.')
param tags object = {}

var suffix = uniqueString(resourceGroup().id)
var functionAppName = '${namePrefix}-func-${suffix}'
var storageAccountName = 'st${take(replace(namePrefix, '-', ''), 8)}${suffix}'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-id-${suffix}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: '${namePrefix}-log-${suffix}'
    appInsightsName: '${namePrefix}-appi-${suffix}'
    principalId: identity.properties.principalId
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    storageAccountName: storageAccountName
    principalId: identity.properties.principalId
    tags: tags
  }
}

// A registry or cluster may live in another resource group or subscription: its roles are assigned there.
module registryAccess 'modules/registryAccess.bicep' = [for registry in registries: {
  name: 'registry-${uniqueString(registry.resourceId)}'
  scope: resourceGroup(split(registry.resourceId, '/')[2], split(registry.resourceId, '/')[4])
  params: {
    registryName: last(split(registry.resourceId, '/'))
    abacRepositoryPermissions: registry.?abac ?? false
    principalId: identity.properties.principalId
  }
}]

var aksClusters = filter(clusters, c => contains(c, 'resourceId'))

module clusterAccess 'modules/clusterAccess.bicep' = [for cluster in aksClusters: {
  name: 'cluster-${uniqueString(cluster.resourceId)}'
  scope: resourceGroup(split(cluster.resourceId, '/')[2], split(cluster.resourceId, '/')[4])
  params: {
    clusterName: last(split(cluster.resourceId, '/'))
    principalId: identity.properties.principalId
  }
}]

// The configuration document of the app (see DESIGN.md, "Configuration"), built from the parameters.
var retentionConfig = {
  registries: [for (registry, i) in registries: {
    endpoint: 'https://${registryAccess[i].outputs.loginServer}'
  }]
  clusters: [for cluster in clusters: contains(cluster, 'resourceId') ? {
    name: cluster.name
    kind: 'kubernetes'
    resourceId: cluster.resourceId
  } : {
    name: cluster.name
    kind: 'endpoint'
    url: cluster.url
    audience: cluster.audience
  }]
  policy: union(retentionPolicy, {
    mode: retentionMode
  })
}

// The app's settings in Azure: local.settings.sample.json, with AzureWebJobsStorage made identity-based.
var appSettings = {
  AzureWebJobsStorage__accountName: storage.outputs.storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.properties.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identity.properties.clientId}'
  AZURE_CLIENT_ID: identity.properties.clientId
  RETENTION_SCHEDULE: retentionSchedule
  RETENTION_CONFIG: string(retentionConfig)
  RETENTION_CONFIG_BLOB: retentionConfigBlob
  RETENTION_CONTAINER: storage.outputs.retentionContainerName
}

module functionApp 'modules/functionApp.bicep' = {
  name: 'functionApp'
  params: {
    location: location
    functionAppName: functionAppName
    planName: '${namePrefix}-plan-${suffix}'
    hostingPlan: hostingPlan
    javaVersion: javaVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    identityId: identity.id
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appSettings: appSettings
    tags: tags
  }
  // The host needs its storage and telemetry roles before its first start.
  dependsOn: [
    storage
    monitoring
  ]
}

output functionAppName string = functionAppName
output defaultHostname string = functionApp.outputs.defaultHostname
output identityClientId string = identity.properties.clientId
output identityPrincipalId string = identity.properties.principalId
output storageAccountName string = storage.outputs.storageAccountName
