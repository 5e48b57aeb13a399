data "azurerm_client_config" "current" {}

data "azurerm_resource_group" "main" {
  name = var.resource_group_name
}

locals {
  location = var.location != "" ? var.location : data.azurerm_resource_group.main.location
  is_flex  = var.hosting_plan == "FlexConsumption"

  # Like Bicep's uniqueString(resourceGroup().id): stable per resource group, unique enough for global names.
  suffix               = substr(sha1(data.azurerm_resource_group.main.id), 0, 13)
  function_app_name    = "${var.name_prefix}-func-${local.suffix}"
  storage_account_name = lower("st${substr(replace(var.name_prefix, "-", ""), 0, 8)}${local.suffix}")

  retention_container_name  = "retention"
  deployment_container_name = "app-package"
  repository_queue_name     = "retention-repositories"
  poison_queue_name         = "retention-repositories-poison"
  runs_queue_name           = "retention-runs"
}

resource "azurerm_log_analytics_workspace" "main" {
  name                = "${var.name_prefix}-log-${local.suffix}"
  resource_group_name = data.azurerm_resource_group.main.name
  location            = local.location
  sku                 = "PerGB2018"
  retention_in_days   = 30
  # Queries and ingestion need an Entra token; the workspace's shared keys are refused.
  local_authentication_enabled = false
  tags                         = var.tags
}

resource "azurerm_application_insights" "main" {
  name                = "${var.name_prefix}-appi-${local.suffix}"
  resource_group_name = data.azurerm_resource_group.main.name
  location            = local.location
  application_type    = "web"
  workspace_id        = azurerm_log_analytics_workspace.main.id
  # Telemetry is accepted only with an Entra token (APPLICATIONINSIGHTS_AUTHENTICATION_STRING), never with the key.
  local_authentication_disabled = true
  tags                          = var.tags
}

resource "azurerm_user_assigned_identity" "app" {
  name                = "${var.name_prefix}-id-${local.suffix}"
  resource_group_name = data.azurerm_resource_group.main.name
  location            = local.location
  tags                = var.tags
}
