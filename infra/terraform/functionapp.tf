resource "azurerm_service_plan" "main" {
  name                = "${var.name_prefix}-plan-${local.suffix}"
  resource_group_name = data.azurerm_resource_group.main.name
  location            = local.location
  os_type             = "Linux"
  sku_name            = local.is_flex ? "FC1" : "Y1"
  tags                = var.tags
}

# Flex Consumption: the runtime lives in functionAppConfig, so FUNCTIONS_WORKER_RUNTIME and
# FUNCTIONS_EXTENSION_VERSION must not be app settings; the package is read with the identity.
resource "azapi_resource" "function_app_flex" {
  count     = local.is_flex ? 1 : 0
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = local.function_app_name
  parent_id = data.azurerm_resource_group.main.id
  location  = local.location
  tags      = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }

  body = {
    kind = "functionapp,linux"
    properties = {
      serverFarmId           = azurerm_service_plan.main.id
      httpsOnly              = true
      virtualNetworkSubnetId = var.virtual_network_subnet_id != "" ? var.virtual_network_subnet_id : null
      siteConfig = {
        minTlsVersion = "1.2"
        ftpsState     = "Disabled"
        appSettings   = [for name, value in local.app_settings : { name = name, value = value }]
      }
      functionAppConfig = {
        deployment = {
          storage = {
            type  = "blobContainer"
            value = "${azurerm_storage_account.main.primary_blob_endpoint}${azurerm_storage_container.deployment.name}"
            authentication = {
              type                           = "UserAssignedIdentity"
              userAssignedIdentityResourceId = azurerm_user_assigned_identity.app.id
            }
          }
        }
        scaleAndConcurrency = {
          maximumInstanceCount = var.maximum_instance_count
          instanceMemoryMB     = var.instance_memory_mb
        }
        runtime = {
          name    = "java"
          version = var.java_version
        }
      }
    }
  }

  response_export_values = ["properties.defaultHostName"]

  # The host needs its storage and telemetry roles before its first start.
  depends_on = [
    azurerm_role_assignment.storage_blob_data_owner,
    azurerm_role_assignment.storage_queue_data_contributor,
    azurerm_role_assignment.monitoring_metrics_publisher,
  ]
}

# Basic publishing credentials (FTP and the SCM site's basic authentication) off: code is deployed with an
# Entra token (Maven plugin, az functionapp deployment), never with publishing credentials. The azurerm site below
# says the same with its two *_basic_authentication_enabled arguments.
resource "azapi_resource" "function_app_flex_ftp" {
  count     = local.is_flex ? 1 : 0
  type      = "Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01"
  name      = "ftp"
  parent_id = azapi_resource.function_app_flex[0].id
  body = {
    properties = {
      allow = false
    }
  }
}

resource "azapi_resource" "function_app_flex_scm" {
  count     = local.is_flex ? 1 : 0
  type      = "Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01"
  name      = "scm"
  parent_id = azapi_resource.function_app_flex[0].id
  body = {
    properties = {
      allow = false
    }
  }
}

resource "azurerm_linux_function_app" "consumption" {
  count                                          = local.is_flex ? 0 : 1
  name                                           = local.function_app_name
  resource_group_name                            = data.azurerm_resource_group.main.name
  location                                       = local.location
  service_plan_id                                = azurerm_service_plan.main.id
  storage_account_name                           = azurerm_storage_account.main.name
  storage_uses_managed_identity                  = true
  functions_extension_version                    = "~4"
  https_only                                     = true
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false
  # Not AzureWebJobsDashboard: logs go to Application Insights only.
  builtin_logging_enabled = false
  tags                    = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }

  site_config {
    minimum_tls_version                    = "1.2"
    ftps_state                             = "Disabled"
    application_insights_connection_string = azurerm_application_insights.main.connection_string

    application_stack {
      java_version = var.java_version
    }
  }

  app_settings = merge(
    { for name, value in local.app_settings : name => value if !contains(local.consumption_provider_settings, name) },
    local.consumption_settings,
  )

  lifecycle {
    precondition {
      condition     = var.virtual_network_subnet_id == ""
      error_message = "virtual_network_subnet_id needs hosting_plan FlexConsumption: Linux Consumption has no VNet integration."
    }
  }

  depends_on = [
    azurerm_role_assignment.storage_blob_data_owner,
    azurerm_role_assignment.storage_queue_data_contributor,
    azurerm_role_assignment.monitoring_metrics_publisher,
  ]
}
