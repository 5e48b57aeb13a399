// Alerts on what the app reports to Application Insights (infra/README.md, "Alerts"): a run that withheld
// deletion, a run that failed, a used image that no longer resolves after a run, and a run that did not happen.

param location string
param namePrefix string
param suffix string
@description('Application Insights that receives the app\'s telemetry.')
param appInsightsId string
@description('Who is told.')
param alertEmail string
@description('A run that has not completed, withheld or failed within this many hours raises the missed-run alert.')
param missedRunAfterHours int
param tags object

// The app emits these as custom events (or custom metrics) with customDimensions runId, registry and reason.
var telemetry = 'union isfuzzy=true customEvents, customMetrics'
var eventAlerts = [
  {
    name: 'run-withheld'
    event: 'RunWithheld'
    severity: 2
    description: 'A run withheld deletion (incomplete inventory, too few used images, pull logs unreadable, delete cap, ...).'
  }
  {
    name: 'run-failed'
    event: 'RunFailed'
    severity: 1
    description: 'A run failed, or some of its deletions failed.'
  }
  {
    name: 'verification-missing'
    event: 'VerificationMissing'
    severity: 0
    description: 'After a run that deleted, an image a cluster uses no longer resolves in its registry.'
  }
]

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}-ag-${suffix}'
  location: 'Global'
  tags: tags
  properties: {
    groupShortName: 'acrret'
    enabled: true
    emailReceivers: [
      {
        name: 'operators'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

resource eventAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [for alert in eventAlerts: {
  name: '${namePrefix}-${alert.name}-${suffix}'
  location: location
  tags: tags
  properties: {
    description: alert.description
    severity: alert.severity
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: '${telemetry} | where name == \'${alert.event}\' | extend runId = tostring(customDimensions.runId), registry = tostring(customDimensions.registry), reason = tostring(customDimensions.reason)'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}]

// No run at all: the timer did not fire, the app did not start, or it died before reporting anything.
resource missedRunAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-run-missed-${suffix}'
  location: location
  tags: tags
  properties: {
    description: 'No run completed, withheld or failed within the expected interval.'
    severity: 1
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT1H'
    windowSize: 'P2D'
    criteria: {
      allOf: [
        {
          query: '${telemetry} | where name in (\'RunCompleted\', \'RunWithheld\', \'RunFailed\') | where timestamp > ago(${missedRunAfterHours}h)'
          timeAggregation: 'Count'
          operator: 'LessThan'
          threshold: 1
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}
