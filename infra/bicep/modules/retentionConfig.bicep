// Builds the app's configuration document (RETENTION_CONFIG) from the deployment's parameters.
// It is a module, not a variable of main.bicep, because the registries' login servers are module outputs:
// a variable may not loop over them (BCP138 for a loop inside a variable's object, BCP182 for module outputs in
// a variable's loop, BCP247 for indexing a module collection inside a lambda). A loop in a module's params is
// allowed, so main.bicep passes the login servers here as a plain array and every loop below runs over
// parameters, which are known when the deployment starts.

@description('Login server of each registry, in the order of main.bicep\'s registries.')
param loginServers array
@description('Workspace id (the customer id, a GUID, that the Logs query API takes) of the registries\' pull logs, or \'\'.')
param pullLogsWorkspaceId string
@description('The clusters parameter of main.bicep.')
param clusters array
param policy object
param mode string
@description('The registries\' SKU, which sets the quota the app paces its deletes to.')
param registrySku string

var registries = [for server in loginServers: empty(pullLogsWorkspaceId) ? {
  endpoint: 'https://${server}'
  sku: registrySku
} : {
  endpoint: 'https://${server}'
  sku: registrySku
  pullLogs: {
    workspaceId: pullLogsWorkspaceId
  }
}]

// Each cluster is either an AKS cluster (resourceId) or an inventory endpoint (url and audience), never both:
// the same rule as Terraform's validation of var.clusters, failing the deployment with the cluster's name.
var clusterList = map(clusters, c => contains(c, 'resourceId') && !contains(c, 'url') && !contains(c, 'audience') ? {
  name: c.name
  kind: 'kubernetes'
  resourceId: c.resourceId
} : !contains(c, 'resourceId') && contains(c, 'url') && contains(c, 'audience') ? {
  name: c.name
  kind: 'endpoint'
  url: c.url
  audience: c.audience
} : fail('cluster \'${c.?name ?? '(no name)'}\' needs either resourceId, or url and audience (not both)'))

output json string = string({
  registries: registries
  clusters: clusterList
  policy: union(policy, {
    mode: mode
  })
})
