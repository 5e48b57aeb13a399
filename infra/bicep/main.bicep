// acr-retention: the Function App, its storage, telemetry and a user-assigned identity with least privilege.
// infra/terraform deploys the same; src/test/java/io/acrretention/infra checks that they stay equal.

@description('Azure region; defaults to the resource group\'s.')
param location string = resourceGroup().location

@description('Prefix of every resource name: 2-12 lower-case letters, digits or \'-\', starting with a letter; uniqueString(resourceGroup().id) is appended for uniqueness.')
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

@description('SKU of the registries (Basic, Standard or Premium): their request quota, shared by every instance. The app paces its deletes to it, and the queue batch size follows it (docs/performance.md).')
@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param registrySku string = 'Premium'

@description('Flex Consumption: the most instances the app scales out to (40-1000). 40, the lowest Flex allows, is what every registry SKU needs: the quota, not the instances, bounds the deletes.')
@minValue(40)
@maxValue(1000)
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

@description('Optional blob path of the configuration in the run storage account; set, it replaces RETENTION_CONFIG (the app takes exactly one of the two).')
param retentionConfigBlob string = ''

@description('Grant push on the registries (AcrPush, or Repository Writer on ABAC registries) so that restore can put tags back.')
param allowRestore bool = false

@description('true: a custom role with only the list actions of the inventory on each AKS cluster, instead of Azure Kubernetes Service RBAC Reader.')
param customClusterRole bool = false

@description('Flex Consumption: resource id of a subnet delegated to Microsoft.App/environments for VNet integration; empty for none.')
param virtualNetworkSubnetId string = ''

@description('Resource id of a Log Analytics workspace that receives every registry\'s ContainerRegistryRepositoryEvents (pull logs); empty for none.')
param pullLogsWorkspaceId string = ''

@description('E-mail address that alerts go to; empty deploys no alerts.')
param alertEmail string = ''

@description('Hours without a completed, withheld or failed run before the missed-run alert fires (the schedule\'s interval plus a margin).')
@minValue(1)
@maxValue(48)
param missedRunAfterHours int = 26

@description('Tags on every resource.')
param tags object = {}

// The same rules as Terraform's validations, checked when the deployment starts (Bicep has no regex decorator).
var lowerLetters = 'abcdefghijklmnopqrstuvwxyz'
var prefixCharacters = '${lowerLetters}0123456789-'
var prefixIsValid = contains(lowerLetters, first(namePrefix)) && empty(filter(range(0, length(namePrefix)), i => !contains(prefixCharacters, substring(namePrefix, i, 1))))
var prefix = prefixIsValid ? namePrefix : fail('namePrefix must be 2-12 lower-case letters, digits or \'-\', starting with a letter; got \'${namePrefix}\'')
var subnetId = empty(virtualNetworkSubnetId) || hostingPlan == 'FlexConsumption' ? virtualNetworkSubnetId : fail('virtualNetworkSubnetId needs hostingPlan FlexConsumption: Linux Consumption has no VNet integration')

var suffix = uniqueString(resourceGroup().id)
var functionAppName = '${prefix}-func-${suffix}'
var storageAccountName = toLower('st${take(replace(prefix, '-', ''), 8)}${suffix}')

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${prefix}-id-${suffix}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: '${prefix}-log-${suffix}'
    appInsightsName: '${prefix}-appi-${suffix}'
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
    allowRestore: allowRestore
    pullLogsWorkspaceResourceId: pullLogsWorkspaceId
  }
}]

// Without a workspace the module is not deployed, but ARM may still evaluate its scope: it gets a well-formed one.
var pullLogsWorkspaceParts = split(empty(pullLogsWorkspaceId) ? '//${subscription().subscriptionId}//${resourceGroup().name}//none' : pullLogsWorkspaceId, '/')

module workspaceAccess 'modules/workspaceAccess.bicep' = if (!empty(pullLogsWorkspaceId)) {
  name: 'pull-logs-workspace'
  scope: resourceGroup(pullLogsWorkspaceParts[2], pullLogsWorkspaceParts[4])
  params: {
    workspaceName: last(pullLogsWorkspaceParts)
    principalId: identity.properties.principalId
  }
}

var aksClusters = filter(clusters, c => contains(c, 'resourceId'))

module clusterAccess 'modules/clusterAccess.bicep' = [for cluster in aksClusters: {
  name: 'cluster-${uniqueString(cluster.resourceId)}'
  scope: resourceGroup(split(cluster.resourceId, '/')[2], split(cluster.resourceId, '/')[4])
  params: {
    clusterName: last(split(cluster.resourceId, '/'))
    principalId: identity.properties.principalId
    customClusterRole: customClusterRole
  }
}]

// The configuration document of the app (see the README's "Configuration"), built in a module: the login servers
// are module outputs, which a variable's loop may not read (modules/retentionConfig.bicep says why).
module retentionConfig 'modules/retentionConfig.bicep' = {
  name: 'retentionConfig'
  params: {
    loginServers: [for (registry, i) in registries: registryAccess[i].outputs.loginServer]
    pullLogsWorkspaceId: empty(pullLogsWorkspaceId) ? '' : workspaceAccess!.outputs.customerId
    clusters: clusters
    policy: retentionPolicy
    mode: retentionMode
    registrySku: registrySku
  }
}

// Per registry SKU: the queue's batch size and new-batch threshold (QuotaPlan in the app). Flex keeps at least 40
// instances, more than any SKU's read quota can keep busy, so each instance takes one repository at a time.
var queueHost = {
  Basic: {
    batchSize: 1
    newBatchThreshold: 0
  }
  Standard: {
    batchSize: 1
    newBatchThreshold: 0
  }
  Premium: {
    batchSize: 1
    newBatchThreshold: 0
  }
}

// The app's settings in Azure: local.settings.sample.json, with AzureWebJobsStorage made identity-based.
var baseSettings = {
  AzureWebJobsStorage__accountName: storage.outputs.storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.properties.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identity.properties.clientId}'
  // The Application Insights Java agent implements the OpenTelemetry API the app logs and counts through (runId,
  // registry, repository on every line); its own copy of each log line, without those properties, is off.
  APPLICATIONINSIGHTS_ENABLE_AGENT: 'true'
  APPLICATIONINSIGHTS_INSTRUMENTATION_LOGGING_LEVEL: 'OFF'
  AZURE_CLIENT_ID: identity.properties.clientId
  RETENTION_SCHEDULE: retentionSchedule
  RETENTION_CONTAINER: storage.outputs.retentionContainerName
  // Repositories one instance works on at once (batchSize + newBatchThreshold), from the registry SKU; the same
  // numbers as the app's QuotaPlan, which a test holds them to.
  AzureFunctionsJobHost__extensions__queues__batchSize: string(queueHost[registrySku].batchSize)
  AzureFunctionsJobHost__extensions__queues__newBatchThreshold: string(queueHost[registrySku].newBatchThreshold)
}

// The app refuses to start with both or neither of RETENTION_CONFIG and RETENTION_CONFIG_BLOB: exactly one is set.
var configSetting = empty(retentionConfigBlob) ? {
  RETENTION_CONFIG: retentionConfig.outputs.json
} : {
  RETENTION_CONFIG_BLOB: retentionConfigBlob
}

var appSettings = union(baseSettings, configSetting)

module alerts 'modules/alerts.bicep' = if (!empty(alertEmail)) {
  name: 'alerts'
  params: {
    location: location
    namePrefix: prefix
    suffix: suffix
    appInsightsId: monitoring.outputs.appInsightsId
    alertEmail: alertEmail
    missedRunAfterHours: missedRunAfterHours
    tags: tags
  }
}

module functionApp 'modules/functionApp.bicep' = {
  name: 'functionApp'
  params: {
    location: location
    functionAppName: functionAppName
    planName: '${prefix}-plan-${suffix}'
    hostingPlan: hostingPlan
    javaVersion: javaVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    identityId: identity.id
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appSettings: appSettings
    virtualNetworkSubnetId: subnetId
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
