# Alerts on what the app reports to Application Insights (infra/README.md, "Alerts"): a run that withheld
# deletion, a run that failed, a used image that no longer resolves after a run, and a run that did not happen.
locals {
  alerts_enabled = var.alert_email != ""
  # The app emits these as custom events (or custom metrics) with customDimensions runId, registry and reason.
  telemetry = "union isfuzzy=true customEvents, customMetrics"
  event_alerts = {
    "run-withheld" = {
      event       = "RunWithheld"
      severity    = 2
      description = "A run withheld deletion (incomplete inventory, too few used images, pull logs unreadable, delete cap, ...)."
    }
    "run-failed" = {
      event       = "RunFailed"
      severity    = 1
      description = "A run failed, or some of its deletions failed."
    }
    "verification-missing" = {
      event       = "VerificationMissing"
      severity    = 0
      description = "After a run that deleted, an image a cluster uses no longer resolves in its registry."
    }
  }
}

resource "azurerm_monitor_action_group" "alerts" {
  count               = local.alerts_enabled ? 1 : 0
  name                = "${var.name_prefix}-ag-${local.suffix}"
  resource_group_name = data.azurerm_resource_group.main.name
  short_name          = "acrret"
  tags                = var.tags

  email_receiver {
    name                    = "operators"
    email_address           = var.alert_email
    use_common_alert_schema = true
  }
}

resource "azurerm_monitor_scheduled_query_rules_alert_v2" "event" {
  for_each             = local.alerts_enabled ? local.event_alerts : {}
  name                 = "${var.name_prefix}-${each.key}-${local.suffix}"
  resource_group_name  = data.azurerm_resource_group.main.name
  location             = local.location
  description          = each.value.description
  severity             = each.value.severity
  enabled              = true
  scopes               = [azurerm_application_insights.main.id]
  evaluation_frequency = "PT15M"
  window_duration      = "PT15M"
  tags                 = var.tags

  criteria {
    query                   = "${local.telemetry} | where name == '${each.value.event}' | extend runId = tostring(customDimensions.runId), registry = tostring(customDimensions.registry), reason = tostring(customDimensions.reason)"
    time_aggregation_method = "Count"
    operator                = "GreaterThan"
    threshold               = 0

    failing_periods {
      number_of_evaluation_periods             = 1
      minimum_failing_periods_to_trigger_alert = 1
    }
  }

  auto_mitigation_enabled = false

  action {
    action_groups = [azurerm_monitor_action_group.alerts[0].id]
  }
}

# No run at all: the timer did not fire, the app did not start, or it died before reporting anything.
resource "azurerm_monitor_scheduled_query_rules_alert_v2" "missed_run" {
  count                = local.alerts_enabled ? 1 : 0
  name                 = "${var.name_prefix}-run-missed-${local.suffix}"
  resource_group_name  = data.azurerm_resource_group.main.name
  location             = local.location
  description          = "No run completed, withheld or failed within the expected interval."
  severity             = 1
  enabled              = true
  scopes               = [azurerm_application_insights.main.id]
  evaluation_frequency = "PT1H"
  window_duration      = "P2D"
  tags                 = var.tags

  criteria {
    query                   = "${local.telemetry} | where name in ('RunCompleted', 'RunWithheld', 'RunFailed') | where timestamp > ago(${var.missed_run_after_hours}h)"
    time_aggregation_method = "Count"
    operator                = "LessThan"
    threshold               = 1

    failing_periods {
      number_of_evaluation_periods             = 1
      minimum_failing_periods_to_trigger_alert = 1
    }
  }

  auto_mitigation_enabled = true

  action {
    action_groups = [azurerm_monitor_action_group.alerts[0].id]
  }
}
