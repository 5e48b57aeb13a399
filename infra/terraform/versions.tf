terraform {
  required_version = ">= 1.6"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
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
  features {}
  # Shared keys are off on the storage account: the provider must reach its data plane with Entra ID.
  storage_use_azuread = true
}

provider "azapi" {}
