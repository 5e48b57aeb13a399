terraform {
  required_version = ">= 1.6"

  required_providers {
    azurerm = {
      source = "hashicorp/azurerm"
      # 4.46 is the first with azurerm_storage_queue.storage_account_id; 5.0 drops data_plane_available.
      version = ">= 4.46, < 5.0"
    }
    # The Flex Consumption site is written with azapi: azurerm_function_app_flex_consumption always adds an
    # AzureWebJobsStorage connection string with an (empty) AccountKey, even with identity-based storage, and the
    # Functions host then prefers it over AzureWebJobsStorage__* (hashicorp/terraform-provider-azurerm#29693, #30732).
    azapi = {
      source  = "Azure/azapi"
      version = "~> 2.0"
    }
  }
}

provider "azurerm" {
  # azurerm 4.x needs the subscription: from this variable, else from ARM_SUBSCRIPTION_ID.
  subscription_id = var.subscription_id

  features {
    storage {
      # Shared keys are off, and the provider's data-plane reads of the storage account (queue_properties,
      # static_website, neither used here) would fail with 403: stay on the management plane.
      data_plane_available = false
    }
  }
  # Shared keys are off on the storage account: the provider must reach its data plane with Entra ID.
  storage_use_azuread = true
}

provider "azapi" {}
