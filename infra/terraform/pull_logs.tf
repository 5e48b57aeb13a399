# Every pull (and push, delete) of each registry goes to the workspace, where the app reads the last pull per
# manifest (policy.keepPulledWithin). Only the repository events: the login events are not needed.
resource "azurerm_monitor_diagnostic_setting" "registry_pull_logs" {
  for_each                   = var.pull_logs_workspace_id != "" ? toset([for r in var.registries : r.resource_id]) : toset([])
  name                       = "acr-retention-pull-logs"
  target_resource_id         = each.key
  log_analytics_workspace_id = var.pull_logs_workspace_id

  enabled_log {
    category = "ContainerRegistryRepositoryEvents"
  }
}
