data "azapi_resource" "registry" {
  for_each               = { for r in var.registries : r.resource_id => r }
  type                   = "Microsoft.ContainerRegistry/registries@2023-07-01"
  resource_id            = each.key
  response_export_values = ["properties.loginServer"]
}

# The workspace (customer) id that the Logs query API takes, for the registries' pull logs.
data "azapi_resource" "pull_logs_workspace" {
  count                  = var.pull_logs_workspace_id != "" ? 1 : 0
  type                   = "Microsoft.OperationalInsights/workspaces@2023-09-01"
  resource_id            = var.pull_logs_workspace_id
  response_export_values = ["properties.customerId"]
}

locals {
  pull_logs = var.pull_logs_workspace_id != "" ? { workspaceId = data.azapi_resource.pull_logs_workspace[0].output.properties.customerId } : null

  # The configuration document of the app (see the README's "Configuration"), built from the variables.
  retention_config = jsonencode({
    registries = [
      for r in var.registries : { for k, v in {
        endpoint = "https://${data.azapi_resource.registry[r.resource_id].output.properties.loginServer}"
        sku      = var.registry_sku
        pullLogs = local.pull_logs
      } : k => v if v != null }
    ]
    # Absent fields are dropped rather than written as null: the app rejects keys that do not belong to a kind.
    clusters = [
      for c in var.clusters : { for k, v in {
        name       = c.name
        kind       = c.resource_id != null ? "kubernetes" : "endpoint"
        resourceId = c.resource_id
        url        = c.url
        audience   = c.audience
      } : k => v if v != null }
    ]
    policy = merge(var.retention_policy, { mode = var.retention_mode })
  })

  # Per registry SKU: the queue's batch size and new-batch threshold (QuotaPlan in the app). Flex keeps at least 40
  # instances, more than any SKU's read quota can keep busy, so each instance takes one repository at a time.
  queue_host = {
    Basic    = { batchSize = 1, newBatchThreshold = 0 }
    Standard = { batchSize = 1, newBatchThreshold = 0 }
    Premium  = { batchSize = 1, newBatchThreshold = 0 }
  }

  # The app's settings in Azure: local.settings.sample.json, with AzureWebJobsStorage made identity-based.
  base_settings = {
    AzureWebJobsStorage__accountName          = azurerm_storage_account.main.name
    AzureWebJobsStorage__credential           = "managedidentity"
    AzureWebJobsStorage__clientId             = azurerm_user_assigned_identity.app.client_id
    APPLICATIONINSIGHTS_CONNECTION_STRING     = azurerm_application_insights.main.connection_string
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING = "Authorization=AAD;ClientId=${azurerm_user_assigned_identity.app.client_id}"
    # The Application Insights Java agent implements the OpenTelemetry API the app logs and counts through (runId,
    # registry, repository on every line); its own copy of each log line, without those properties, is off.
    APPLICATIONINSIGHTS_ENABLE_AGENT                   = "true"
    APPLICATIONINSIGHTS_INSTRUMENTATION_LOGGING_LEVEL = "OFF"
    AZURE_CLIENT_ID                           = azurerm_user_assigned_identity.app.client_id
    RETENTION_SCHEDULE                        = var.retention_schedule
    RETENTION_CONTAINER                       = azurerm_storage_container.retention.name
    # Repositories one instance works on at once (batchSize + newBatchThreshold), from the registry SKU; the same
    # numbers as the app's QuotaPlan, which a test holds them to.
    AzureFunctionsJobHost__extensions__queues__batchSize         = tostring(local.queue_host[var.registry_sku].batchSize)
    AzureFunctionsJobHost__extensions__queues__newBatchThreshold = tostring(local.queue_host[var.registry_sku].newBatchThreshold)
  }

  # The app refuses to start with both or neither of RETENTION_CONFIG and RETENTION_CONFIG_BLOB: exactly one is
  # set. tomap on both sides: two object types with different attributes are not one conditional's result.
  config_setting = var.retention_config_blob == "" ? tomap({ RETENTION_CONFIG = local.retention_config }) : tomap({ RETENTION_CONFIG_BLOB = var.retention_config_blob })

  app_settings = merge(local.base_settings, local.config_setting)

  # azurerm_linux_function_app writes these from its typed arguments and strips them from app_settings when it
  # reads the app back, so giving them in app_settings too would show a change on every plan.
  consumption_provider_settings = ["AzureWebJobsStorage__accountName", "APPLICATIONINSIGHTS_CONNECTION_STRING"]

  # Linux Consumption runs the package from the deployment container, fetched with the identity (no SAS).
  consumption_settings = {
    WEBSITE_RUN_FROM_PACKAGE                     = "${azurerm_storage_account.main.primary_blob_endpoint}${azurerm_storage_container.deployment.name}/app.zip"
    WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID = azurerm_user_assigned_identity.app.id
  }
}
