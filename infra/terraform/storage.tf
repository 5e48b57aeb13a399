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

  # Reports, inventories and quarantine records are the evidence of what a run did: a deleted or overwritten
  # blob stays recoverable for 30 days, and so does a deleted container. Soft delete rather than versioning: the
  # host's lease blobs and inventory/latest.json are rewritten all the time, and versions would pile up without
  # end. Set through the management plane (blobServices), so data_plane_available = false does not affect it.
  blob_properties {
    delete_retention_policy {
      days = 30
    }
    container_delete_retention_policy {
      days = 30
    }
  }
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
