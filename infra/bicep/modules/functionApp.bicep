// The plan and the Function App: Flex Consumption (default) or Linux Consumption, both identity-only.

param location string
param functionAppName string
param planName string
@allowed([
  'FlexConsumption'
  'Consumption'
])
param hostingPlan string
param javaVersion string
param maximumInstanceCount int
param instanceMemoryMB int
@description('Resource id of the user-assigned identity the app runs as.')
param identityId string
@description('https URL of the blob container that holds the deployment package.')
param deploymentContainerUrl string
@description('App settings by name.')
param appSettings object
@description('Flex Consumption: resource id of a subnet (delegated to Microsoft.App/environments) for VNet integration, or \'\'.')
param virtualNetworkSubnetId string
param tags object

var isFlex = hostingPlan == 'FlexConsumption'

// Linux Consumption needs the runtime as app settings, and runs the package from the deployment container,
// fetched with the identity (no SAS).
var consumptionSettings = {
  FUNCTIONS_EXTENSION_VERSION: '~4'
  FUNCTIONS_WORKER_RUNTIME: 'java'
  WEBSITE_RUN_FROM_PACKAGE: '${deploymentContainerUrl}/app.zip'
  WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID: identityId
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: isFlex ? {
    name: 'FC1'
    tier: 'FlexConsumption'
  } : {
    name: 'Y1'
    tier: 'Dynamic'
  }
  properties: {
    reserved: true
  }
}

// Flex Consumption: the runtime lives in functionAppConfig, so FUNCTIONS_WORKER_RUNTIME and
// FUNCTIONS_EXTENSION_VERSION must not be app settings; the package is read with the identity.
resource flexApp 'Microsoft.Web/sites@2024-04-01' = if (isFlex) {
  name: functionAppName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [for setting in items(appSettings): {
        name: setting.key
        value: setting.value
      }]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'java'
        version: javaVersion
      }
    }
  }
}

resource consumptionApp 'Microsoft.Web/sites@2024-04-01' = if (!isFlex) {
  name: functionAppName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    reserved: true
    siteConfig: {
      linuxFxVersion: 'Java|${javaVersion}'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [for setting in items(union(appSettings, consumptionSettings)): {
        name: setting.key
        value: setting.value
      }]
    }
  }
}

// Basic publishing credentials (FTP and the SCM site's basic authentication) off: code is deployed with an
// Entra token (Maven plugin, az functionapp deployment), never with publishing credentials.
resource flexFtp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = if (isFlex) {
  parent: flexApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource flexScm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = if (isFlex) {
  parent: flexApp
  name: 'scm'
  properties: {
    allow: false
  }
}

resource consumptionFtp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = if (!isFlex) {
  parent: consumptionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource consumptionScm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = if (!isFlex) {
  parent: consumptionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

output defaultHostname string = isFlex ? flexApp!.properties.defaultHostName : consumptionApp!.properties.defaultHostName
