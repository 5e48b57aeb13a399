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

variable "maximum_instance_count" {
  description = "Flex Consumption: the most instances the app scales out to."
  type        = number
  default     = 40
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
  description = "Optional blob path of the configuration in the run storage account; empty uses RETENTION_CONFIG."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}
