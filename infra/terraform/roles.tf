locals {
  # Built-in role definition ids (the same in every tenant); infra/README.md lists what each one is for.
  role_ids = {
    acr_pull                                  = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
    acr_delete                                = "c2f4ef07-c644-48eb-af81-4b1b4947fb11"
    acr_push                                  = "8311e382-0749-4cb8-b61a-304f252e45ec"
    container_registry_catalog_lister         = "bfdb9389-c9a5-478a-bb2f-ba9ca092c3c7"
    container_registry_repository_writer      = "2a1e307c-b015-4ebd-883e-5b7698a07328"
    aks_rbac_reader                           = "7f6c6a51-bcf8-42ba-9220-52d62157d7db"
    aks_cluster_user                          = "4abbcc35-e782-43d8-92c5-2d3f1bd2253f"
    storage_blob_data_owner                   = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
    storage_queue_data_contributor            = "974c5e8b-45b9-4653-ba55-5f855dd0fb88"
    monitoring_metrics_publisher              = "3913510d-42f4-4e42-8a64-420c390055eb"
    log_analytics_reader                      = "73c42c96-874c-492b-b04d-ab87d138a893"
  }

  # ABAC registries: only what the app does, read and delete metadata (tags, manifests) and content.
  repository_cleaner_data_actions = [
    "Microsoft.ContainerRegistry/registries/repositories/metadata/read",
    "Microsoft.ContainerRegistry/registries/repositories/metadata/delete",
    "Microsoft.ContainerRegistry/registries/repositories/content/read",
    "Microsoft.ContainerRegistry/registries/repositories/content/delete",
  ]

  # AKS (custom_cluster_role): the kinds the inventory lists, and nothing else. Azure RBAC for Kubernetes has one
  # "read" per kind, which covers get, list and watch. extraResources need their own grants (infra/README.md).
  inventory_reader_data_actions = [
    "Microsoft.ContainerService/managedClusters/pods/read",
    "Microsoft.ContainerService/managedClusters/replicationcontrollers/read",
    "Microsoft.ContainerService/managedClusters/podtemplates/read",
    "Microsoft.ContainerService/managedClusters/apps/deployments/read",
    "Microsoft.ContainerService/managedClusters/apps/replicasets/read",
    "Microsoft.ContainerService/managedClusters/apps/statefulsets/read",
    "Microsoft.ContainerService/managedClusters/apps/daemonsets/read",
    "Microsoft.ContainerService/managedClusters/apps/controllerrevisions/read",
    "Microsoft.ContainerService/managedClusters/batch/jobs/read",
    "Microsoft.ContainerService/managedClusters/batch/cronjobs/read",
  ]

  rbac_registries         = { for r in var.registries : r.resource_id => r if !r.abac }
  abac_registries         = { for r in var.registries : r.resource_id => r if r.abac }
  rbac_restore_registries = var.allow_restore ? local.rbac_registries : {}
  abac_restore_registries = var.allow_restore ? local.abac_registries : {}
  aks_clusters            = { for c in var.clusters : c.name => c.resource_id if c.resource_id != null }
  builtin_reader_clusters = var.custom_cluster_role ? {} : local.aks_clusters
  custom_reader_clusters  = var.custom_cluster_role ? local.aks_clusters : {}
  pull_logs_workspaces    = var.pull_logs_workspace_id != "" ? toset([var.pull_logs_workspace_id]) : toset([])
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

# Restore pushes a manifest's own bytes under its old tags; nothing else here writes.
resource "azurerm_role_assignment" "registry_acr_push" {
  for_each           = local.rbac_restore_registries
  scope              = each.key
  role_definition_id = "/subscriptions/${split("/", each.key)[2]}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.acr_push}"
  principal_id       = local.principal_id
  principal_type     = "ServicePrincipal"
}

# Registries in "RBAC Registry + ABAC Repository Permissions" mode: AcrPull/AcrDelete do not apply there. The
# built-in Repository Contributor would also allow writes, so a custom role carries only what the app does. One
# definition per registry, assignable only there.
resource "azurerm_role_definition" "repository_cleaner" {
  for_each          = local.abac_registries
  name              = "acr-retention repository cleaner ${basename(each.key)} ${substr(sha1(lower(each.key)), 0, 13)}"
  scope             = each.key
  description       = "Read and delete tags, manifests and content in the repositories of one registry (acr-retention)."
  assignable_scopes = [each.key]

  permissions {
    actions      = []
    data_actions = local.repository_cleaner_data_actions
  }
}

resource "azurerm_role_assignment" "registry_repository_cleaner" {
  for_each           = local.abac_registries
  scope              = each.key
  role_definition_id = azurerm_role_definition.repository_cleaner[each.key].role_definition_resource_id
  principal_id       = local.principal_id
  principal_type     = "ServicePrincipal"
}

resource "azurerm_role_assignment" "registry_repository_writer" {
  for_each           = local.abac_restore_registries
  scope              = each.key
  role_definition_id = "/subscriptions/${split("/", each.key)[2]}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.container_registry_repository_writer}"
  principal_id       = local.principal_id
  principal_type     = "ServicePrincipal"
}

# The repository roles exclude listing the catalog, which needs its own role.
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
  for_each           = local.builtin_reader_clusters
  scope              = each.value
  role_definition_id = "/subscriptions/${split("/", each.value)[2]}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.aks_rbac_reader}"
  principal_id       = local.principal_id
  principal_type     = "ServicePrincipal"
}

resource "azurerm_role_definition" "inventory_reader" {
  for_each          = local.custom_reader_clusters
  name              = "acr-retention inventory reader ${each.key} ${substr(sha1(lower(each.value)), 0, 13)}"
  scope             = each.value
  description       = "List the workloads whose images acr-retention keeps, in every namespace of one AKS cluster."
  assignable_scopes = [each.value]

  permissions {
    actions      = []
    data_actions = local.inventory_reader_data_actions
  }
}

resource "azurerm_role_assignment" "cluster_inventory_reader" {
  for_each           = local.custom_reader_clusters
  scope              = each.value
  role_definition_id = azurerm_role_definition.inventory_reader[each.key].role_definition_resource_id
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

# The registries' pull logs (policy.keepPulledWithin): the app queries the workspace.
resource "azurerm_role_assignment" "pull_logs_reader" {
  for_each           = local.pull_logs_workspaces
  scope              = each.key
  role_definition_id = "/subscriptions/${split("/", each.key)[2]}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.log_analytics_reader}"
  principal_id       = local.principal_id
  principal_type     = "ServicePrincipal"
}
