output "function_app_name" {
  value = local.function_app_name
}

output "default_hostname" {
  value = local.is_flex ? azapi_resource.function_app_flex[0].output.properties.defaultHostName : azurerm_linux_function_app.consumption[0].default_hostname
}

output "identity_client_id" {
  value = azurerm_user_assigned_identity.app.client_id
}

output "identity_principal_id" {
  value = azurerm_user_assigned_identity.app.principal_id
}

output "storage_account_name" {
  value = azurerm_storage_account.main.name
}
