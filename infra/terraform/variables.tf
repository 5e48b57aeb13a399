variable "subscription_id" {
  description = "Subscription to deploy into; null takes ARM_SUBSCRIPTION_ID (azurerm 4.x needs one of the two)."
  type        = string
  default     = null
}

variable "resource_group_name" {
  description = "Existing resource group to deploy into (the Bicep template is deployed into one too)."
  type        = string
}

variable "location" {
  description = "Azure region; empty means the resource group's region."
  type        = string
  default     = ""
}

variable "name_prefix" {
  description = "Prefix of every resource name; a hash of the resource group id is appended for uniqueness."
  type        = string
  default     = "acrret"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,11}$", var.name_prefix))
    error_message = "name_prefix must be 2-12 lower-case letters, digits or '-', starting with a letter."
  }
}

variable "hosting_plan" {
  description = "FlexConsumption (default) or Consumption (Linux Y1)."
  type        = string
  default     = "FlexConsumption"

  validation {
    condition     = contains(["FlexConsumption", "Consumption"], var.hosting_plan)
    error_message = "hosting_plan must be FlexConsumption or Consumption."
  }
}

variable "java_version" {
  description = "Java version of the Functions runtime."
  type        = string
  default     = "17"

  validation {
    condition     = contains(["17", "21"], var.java_version)
    error_message = "java_version must be 17 or 21."
  }
}

variable "registry_sku" {
  description = "SKU of the registries (Basic, Standard or Premium): their request quota, shared by every instance. The app paces its deletes to it, and the queue batch size follows it (docs/performance.md)."
  type        = string
  default     = "Premium"

  validation {
    condition     = contains(["Basic", "Standard", "Premium"], var.registry_sku)
    error_message = "registry_sku must be Basic, Standard or Premium."
  }
}

variable "maximum_instance_count" {
  description = "Flex Consumption: the most instances the app scales out to (40-1000). 40, the lowest Flex allows, is what every registry SKU needs: the quota, not the instances, bounds the deletes."
  type        = number
  default     = 40

  validation {
    condition     = var.maximum_instance_count >= 40 && var.maximum_instance_count <= 1000
    error_message = "maximum_instance_count must be between 40 and 1000."
  }
}

variable "instance_memory_mb" {
  description = "Flex Consumption: memory of one instance (2048 or 4096)."
  type        = number
  default     = 2048

  validation {
    condition     = contains([2048, 4096], var.instance_memory_mb)
    error_message = "instance_memory_mb must be 2048 or 4096."
  }
}

variable "registries" {
  description = <<-EOT
    Container registries to clean: the registry's resource id, and whether the registry uses
    "RBAC Registry + ABAC Repository Permissions" (then the repository-scoped roles are granted instead of
    AcrPull + AcrDelete).
  EOT
  type = list(object({
    resource_id = string
    abac        = optional(bool, false)
  }))

  validation {
    condition     = length(var.registries) > 0
    error_message = "registries must name at least one container registry."
  }
}

variable "clusters" {
  description = <<-EOT
    Clusters whose running images are kept: an AKS cluster by name and resource_id (the API server and its CA
    are read through Azure Resource Manager), or an inventory endpoint by name, url and audience.
  EOT
  type = list(object({
    name        = string
    resource_id = optional(string)
    url         = optional(string)
    audience    = optional(string)
  }))

  validation {
    condition = alltrue([
      for c in var.clusters : (c.resource_id != null) != (c.url != null && c.audience != null)
    ])
    error_message = "each cluster needs either resource_id, or url and audience (not both)."
  }
}

variable "retention_mode" {
  description = "dry-run (default: nothing is deleted, the reports say what would be) or delete."
  type        = string
  default     = "dry-run"

  validation {
    condition     = contains(["dry-run", "delete"], var.retention_mode)
    error_message = "retention_mode must be dry-run or delete."
  }
}

variable "retention_policy" {
  description = "Further retention policy settings (keepRecent, keepTags, ...); mode comes from retention_mode."
  type        = any
  default     = {}
}

variable "retention_schedule" {
  description = "NCRONTAB schedule of the timer-triggered run (six fields, UTC)."
  type        = string
  default     = "0 0 2 * * *"
}

variable "retention_config_blob" {
  description = "Optional blob path of the configuration in the run storage account; set, it replaces RETENTION_CONFIG (the app takes exactly one of the two)."
  type        = string
  default     = ""
}

variable "allow_restore" {
  description = "Grant push on the registries (AcrPush, or Repository Writer on ABAC registries) so that restore can put tags back."
  type        = bool
  default     = false
}

variable "custom_cluster_role" {
  description = "true: a custom role with only the list actions of the inventory on each AKS cluster, instead of Azure Kubernetes Service RBAC Reader."
  type        = bool
  default     = false
}

variable "virtual_network_subnet_id" {
  description = "Flex Consumption: resource id of a subnet delegated to Microsoft.App/environments for VNet integration; empty for none."
  type        = string
  default     = ""
}

variable "pull_logs_workspace_id" {
  description = "Resource id of a Log Analytics workspace that receives every registry's ContainerRegistryRepositoryEvents (pull logs); empty for none."
  type        = string
  default     = ""
}

variable "alert_email" {
  description = "E-mail address that alerts go to; empty deploys no alerts."
  type        = string
  default     = ""
}

variable "missed_run_after_hours" {
  description = "Hours without a completed, withheld or failed run before the missed-run alert fires (the schedule's interval plus a margin)."
  type        = number
  default     = 26

  validation {
    condition     = var.missed_run_after_hours >= 1 && var.missed_run_after_hours <= 48
    error_message = "missed_run_after_hours must be between 1 and 48."
  }
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}
