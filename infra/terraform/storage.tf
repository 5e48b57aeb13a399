resource "azurerm_storage_account" "main" {
  name                            = local.storage_account_name
  resource_group_name             = data.azurerm_resource_group.main.name
  location                        = local.location
  account_kind                    = "StorageV2"
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  # Every client (the Functions host, the app, the deployment) authenticates with Entra ID; no key exists to leak.
  shared_access_key_enabled       = false
  default_to_oauth_authentication = true
  tags                            = var.tags
}

resource "azurerm_storage_container" "retention" {
  name                  = local.retention_container_name
  storage_account_id    = azurerm_storage_account.main.id
  container_access_type = "private"
}

resource "azurerm_storage_container" "deployment" {
  name                  = local.deployment_container_name
  storage_account_id    = azurerm_storage_account.main.id
  container_access_type = "private"
}

resource "azurerm_storage_queue" "repositories" {
  name               = local.repository_queue_name
  storage_account_id = azurerm_storage_account.main.id
}

resource "azurerm_storage_queue" "repositories_poison" {
  name               = local.poison_queue_name
  storage_account_id = azurerm_storage_account.main.id
}

# Runs requested over HTTP wait here for the StartRunQueue function.
resource "azurerm_storage_queue" "runs" {
  name               = local.runs_queue_name
  storage_account_id = azurerm_storage_account.main.id
}
