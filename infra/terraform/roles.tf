locals {
  # Built-in role definition ids (the same in every tenant); infra/README.md lists what each one is for.
  role_ids = {
    acr_pull                                  = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
    acr_delete                                = "c2f4ef07-c644-48eb-af81-4b1b4947fb11"
    container_registry_repository_contributor = "2efddaa5-3f1f-4df3-97df-af3f13818f4c"
    container_registry_catalog_lister         = "bfdb9389-c9a5-478a-bb2f-ba9ca092c3c7"
    aks_rbac_reader                           = "7f6c6a51-bcf8-42ba-9220-52d62157d7db"
    aks_cluster_user                          = "4abbcc35-e782-43d8-92c5-2d3f1bd2253f"
    storage_blob_data_owner                   = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
    storage_queue_data_contributor            = "974c5e8b-45b9-4653-ba55-5f855dd0fb88"
    monitoring_metrics_publisher              = "3913510d-42f4-4e42-8a64-420c390055eb"
  }

  rbac_registries = { for r in var.registries : r.resource_id => r if !r.abac }
  abac_registries = { for r in var.registries : r.resource_id => r if r.abac }
  aks_clusters    = { for c in var.clusters : c.name => c.resource_id if c.resource_id != null }
  principal_id    = azurerm_user_assigned_identity.app.principal_id
  # A registry or cluster may live in another subscription: each role definition id names the scope's own.
  this_subscription = "/subscriptions/${data.azurerm_client_config.current.subscription_id}"
}

# Registries in "RBAC Registry Permissions" mode: read (list repositories, manifests, tags) and delete.
resource "azurerm_role_assignment" "registry_acr_pull" {
  for_each           = local.rbac_registries
  scope              = each.key
  role_definition_id = "/subscriptions/${split("/", each.key)[2]}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.acr_pull}"
  principal_id       = local.principal_id
  principal_type     = "ServicePrincipal"
}

resource "azurerm_role_assignment" "registry_acr_delete" {
  for_each           = local.rbac_registries
  scope              = each.key
  role_definition_id = "/subscriptions/${split("/", each.key)[2]}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.acr_delete}"
  principal_id       = local.principal_id
  principal_type     = "ServicePrincipal"
}

# Registries in "RBAC Registry + ABAC Repository Permissions" mode: AcrPull/AcrDelete do not apply there; the
# repository roles do, and they exclude listing the catalog, which needs its own role.
resource "azurerm_role_assignment" "registry_repository_contributor" {
  for_each           = local.abac_registries
  scope              = each.key
  role_definition_id = "/subscriptions/${split("/", each.key)[2]}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.container_registry_repository_contributor}"
  principal_id       = local.principal_id
  principal_type     = "ServicePrincipal"
}

resource "azurerm_role_assignment" "registry_catalog_lister" {
  for_each           = local.abac_registries
  scope              = each.key
  role_definition_id = "/subscriptions/${split("/", each.key)[2]}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.container_registry_catalog_lister}"
  principal_id       = local.principal_id
  principal_type     = "ServicePrincipal"
}

# AKS clusters: read workloads through the Kubernetes API (Azure RBAC for Kubernetes) and read the API server
# address and CA through Azure Resource Manager.
resource "azurerm_role_assignment" "cluster_rbac_reader" {
  for_each           = local.aks_clusters
  scope              = each.value
  role_definition_id = "/subscriptions/${split("/", each.value)[2]}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.aks_rbac_reader}"
  principal_id       = local.principal_id
  principal_type     = "ServicePrincipal"
}

resource "azurerm_role_assignment" "cluster_user" {
  for_each           = local.aks_clusters
  scope              = each.value
  role_definition_id = "/subscriptions/${split("/", each.value)[2]}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.aks_cluster_user}"
  principal_id       = local.principal_id
  principal_type     = "ServicePrincipal"
}

# The run storage account: the Functions host (AzureWebJobsStorage, Flex deployment package) and the app's
# blobs need Blob Data Owner; the repository queue (send, receive, poison) needs Queue Data Contributor.
resource "azurerm_role_assignment" "storage_blob_data_owner" {
  scope              = azurerm_storage_account.main.id
  role_definition_id = "${local.this_subscription}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.storage_blob_data_owner}"
  principal_id       = local.principal_id
  principal_type     = "ServicePrincipal"
}

resource "azurerm_role_assignment" "storage_queue_data_contributor" {
  scope              = azurerm_storage_account.main.id
  role_definition_id = "${local.this_subscription}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.storage_queue_data_contributor}"
  principal_id       = local.principal_id
  principal_type     = "ServicePrincipal"
}

# Application Insights with local auth disabled accepts telemetry only from identities with this role.
resource "azurerm_role_assignment" "monitoring_metrics_publisher" {
  scope              = azurerm_application_insights.main.id
  role_definition_id = "${local.this_subscription}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.monitoring_metrics_publisher}"
  principal_id       = local.principal_id
  principal_type     = "ServicePrincipal"
}
