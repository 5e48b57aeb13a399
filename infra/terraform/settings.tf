data "azapi_resource" "registry" {
  for_each               = { for r in var.registries : r.resource_id => r }
  type                   = "Microsoft.ContainerRegistry/registries@2023-07-01"
  resource_id            = each.key
  response_export_values = ["properties.loginServer"]
}

locals {
  # The configuration document of the app (see DESIGN.md, "Configuration"), built from the variables.
  retention_config = jsonencode({
    registries = [
      for r in var.registries : { endpoint = "https://${data.azapi_resource.registry[r.resource_id].output.properties.loginServer}" }
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

  # The app's settings in Azure: local.settings.sample.json, with AzureWebJobsStorage made identity-based.
  app_settings = {
    AzureWebJobsStorage__accountName          = azurerm_storage_account.main.name
    AzureWebJobsStorage__credential           = "managedidentity"
    AzureWebJobsStorage__clientId             = azurerm_user_assigned_identity.app.client_id
    APPLICATIONINSIGHTS_CONNECTION_STRING     = azurerm_application_insights.main.connection_string
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING = "Authorization=AAD;ClientId=${azurerm_user_assigned_identity.app.client_id}"
    AZURE_CLIENT_ID                           = azurerm_user_assigned_identity.app.client_id
    RETENTION_SCHEDULE                        = var.retention_schedule
    RETENTION_CONFIG                          = local.retention_config
    RETENTION_CONFIG_BLOB                     = var.retention_config_blob
    RETENTION_CONTAINER                       = azurerm_storage_container.retention.name
  }

  # azurerm_linux_function_app writes these from its typed arguments and strips them from app_settings when it
  # reads the app back, so giving them in app_settings too would show a change on every plan.
  consumption_provider_settings = ["AzureWebJobsStorage__accountName", "APPLICATIONINSIGHTS_CONNECTION_STRING"]

  # Linux Consumption runs the package from the deployment container, fetched with the identity (no SAS).
  consumption_settings = {
    WEBSITE_RUN_FROM_PACKAGE                     = "${azurerm_storage_account.main.primary_blob_endpoint}${azurerm_storage_container.deployment.name}/app.zip"
    WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID = azurerm_user_assigned_identity.app.id
  }
}
