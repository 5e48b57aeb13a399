package io.acrretention.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hardening, least privilege, alerts and pull logs: the same in both templates. */
class DeploymentHardeningIT {
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

    private static InfraTemplates t;

    @BeforeAll
    static void read() {
        t = new InfraTemplates();
    }

    @Test
    void everySiteHasFtpAndScmBasicAuthenticationOff() {
        BicepFile app = t.bicepFile("functionApp.bicep");
        for (BicepFile.Resource site : app.resources()) {
            if (!site.type().equals("Microsoft.Web/sites")) {
                continue;
            }
            Set<String> off = new TreeSet<>();
            for (BicepFile.Resource policy : app.resources()) {
                if (policy.type().equals("Microsoft.Web/sites/basicPublishingCredentialsPolicies")
                        && BicepFile.property(policy.body(), "parent", policy.where())
                                .equals(site.symbol())) {
                    assertEquals(
                            "false",
                            BicepFile.property(
                                    BicepFile.property(policy.body(), "properties", policy.where()),
                                    "allow",
                                    policy.where()),
                            policy.where());
                    assertEquals(
                            site.condition(),
                            policy.condition(),
                            policy.where() + " is deployed with its site");
                    off.add(
                            BicepFile.literal(
                                    BicepFile.property(policy.body(), "name", policy.where()),
                                    policy.where()));
                }
            }
            assertEquals(Set.of("ftp", "scm"), off, site.where());
        }

        Set<String> tfOff = new TreeSet<>();
        for (TerraformConfig.Block b : t.tf.resources("azapi_resource")) {
            if (b.text("type")
                    .startsWith("Microsoft.Web/sites/basicPublishingCredentialsPolicies@")) {
                assertEquals(
                        "${azapi_resource.function_app_flex[0].id}",
                        b.text("parent_id"),
                        b.where());
                assertEquals("${local.is_flex ? 1 : 0}", b.text("count"), b.where());
                assertFalse(
                        b.required("body").get("properties").get("allow").asBoolean(true),
                        b.where());
                tfOff.add(b.text("name"));
            }
        }
        assertEquals(Set.of("ftp", "scm"), tfOff, "the azapi Flex site");
        TerraformConfig.Block consumption =
                t.tf.resource("azurerm_linux_function_app", "consumption");
        assertFalse(
                consumption.required("ftp_publish_basic_authentication_enabled").asBoolean(true));
        assertFalse(
                consumption
                        .required("webdeploy_publish_basic_authentication_enabled")
                        .asBoolean(true));
    }

    @Test
    void logsGoToApplicationInsightsOnlyAndTheWorkspaceRefusesSharedKeys() {
        assertFalse(
                t.tf.resource("azurerm_linux_function_app", "consumption")
                        .required("builtin_logging_enabled")
                        .asBoolean(true),
                "builtin logging writes AzureWebJobsDashboard");
        assertFalse(DeploymentParityIT.bicepSettings(t).contains("AzureWebJobsDashboard"));
        assertFalse(DeploymentParityIT.terraformSettings(t).contains("AzureWebJobsDashboard"));

        BicepFile.Resource workspace =
                t.bicepFile("monitoring.bicep").resources().stream()
                        .filter(r -> r.type().equals("Microsoft.OperationalInsights/workspaces"))
                        .findFirst()
                        .orElseThrow();
        String features =
                BicepFile.property(
                        BicepFile.property(workspace.body(), "properties", workspace.where()),
                        "features",
                        workspace.where());
        assertEquals("true", BicepFile.property(features, "disableLocalAuth", workspace.where()));
        assertFalse(
                t.tf.resource("azurerm_log_analytics_workspace", "main")
                        .required("local_authentication_enabled")
                        .asBoolean(true));
    }

    @Test
    void deletedOrOverwrittenRunDocumentsStayRecoverableForTheSameDays() {
        BicepFile.Resource blobService =
                t.bicepFile("storage.bicep").resources().stream()
                        .filter(
                                r ->
                                        r.type()
                                                .equals(
                                                        "Microsoft.Storage/storageAccounts/blobServices"))
                        .findFirst()
                        .orElseThrow();
        String props = BicepFile.property(blobService.body(), "properties", blobService.where());
        JsonNode tf = t.tf.resource("azurerm_storage_account", "main").nested("blob_properties");
        for (String[] policy :
                new String[][] {
                    {"deleteRetentionPolicy", "delete_retention_policy"},
                    {"containerDeleteRetentionPolicy", "container_delete_retention_policy"}
                }) {
            String bicep = BicepFile.property(props, policy[0], blobService.where());
            assertEquals("true", BicepFile.property(bicep, "enabled", policy[0]));
            String days = BicepFile.property(bicep, "days", policy[0]);
            assertTrue(Integer.parseInt(days) >= 7, policy[0] + " keeps " + days + " days");
            assertEquals(days, tf.get(policy[1]).get(0).get("days").asText(), policy[1]);
        }
    }

    @Test
    void bicepValidatesItsInputLikeTerraform() {
        String main = InfraTemplates.read(t.bicep.resolve("main.bicep"));
        assertTrue(
                main.contains("@minValue(40)\n@maxValue(1000)\nparam maximumInstanceCount int"),
                "maximumInstanceCount is 40-1000 as in Terraform");
        assertEquals(
                "${var.maximum_instance_count >= 40 && var.maximum_instance_count <= 1000}",
                t.tf.variable("maximum_instance_count")
                        .get("validation")
                        .get(0)
                        .get("condition")
                        .asText());
        // the prefix: Terraform's regex, Bicep's character check that fails the deployment naming
        // the value
        assertEquals(
                "${can(regex(\"^[a-z][a-z0-9-]{1,11}$\", var.name_prefix))}",
                t.tf.variable("name_prefix").get("validation").get(0).get("condition").asText());
        assertTrue(
                t.main.var("prefix").contains("fail('namePrefix must be 2-12 lower-case letters"));
        for (String derived : List.of("functionAppName", "storageAccountName")) {
            assertTrue(
                    t.main.var(derived).contains("prefix")
                            && !t.main.var(derived).contains("namePrefix"),
                    derived + " is built from the checked prefix");
        }
        assertTrue(t.main.var("storageAccountName").startsWith("toLower("));
        assertTrue(t.tf.local("storage_account_name").asText().startsWith("${lower("));
        // a cluster is AKS or an endpoint, never both, never neither
        assertTrue(
                t.bicepFile("retentionConfig.bicep")
                        .var("clusterList")
                        .contains(
                                "fail('cluster \\'${c.?name ?? '(no name)'}\\' needs either resourceId, or url and audience"));
        assertTrue(
                t.tf.variable("clusters")
                        .get("validation")
                        .get(0)
                        .get("condition")
                        .asText()
                        .contains(
                                "(c.resource_id != null) != (c.url != null && c.audience != null)"));
        // VNet integration only where the plan has it
        assertTrue(
                t.main.var("subnetId")
                        .contains(
                                "fail('virtualNetworkSubnetId needs hostingPlan FlexConsumption"));
        JsonNode precondition =
                t.tf.resource("azurerm_linux_function_app", "consumption")
                        .nested("lifecycle")
                        .get("precondition")
                        .get(0);
        assertEquals(
                "${var.virtual_network_subnet_id == \"\"}", precondition.get("condition").asText());
    }

    @Test
    void customRolesCarryOnlyTheActionsTheAppUsesInBoth() {
        List<String> repository =
                List.of(
                        "Microsoft.ContainerRegistry/registries/repositories/metadata/read",
                        "Microsoft.ContainerRegistry/registries/repositories/metadata/delete",
                        "Microsoft.ContainerRegistry/registries/repositories/content/read",
                        "Microsoft.ContainerRegistry/registries/repositories/content/delete");
        String k8s = "Microsoft.ContainerService/managedClusters/";
        List<String> inventory =
                List.of(
                        k8s + "pods/read",
                        k8s + "replicationcontrollers/read",
                        k8s + "podtemplates/read",
                        k8s + "apps/deployments/read",
                        k8s + "apps/replicasets/read",
                        k8s + "apps/statefulsets/read",
                        k8s + "apps/daemonsets/read",
                        k8s + "apps/controllerrevisions/read",
                        k8s + "batch/jobs/read",
                        k8s + "batch/cronjobs/read");
        assertEquals(repository, bicepDataActions("registryAccess.bicep", "repositoryCleanerRole"));
        assertEquals(inventory, bicepDataActions("clusterAccess.bicep", "inventoryReaderRole"));
        assertEquals(repository, strings(t.tf.local("repository_cleaner_data_actions")));
        assertEquals(inventory, strings(t.tf.local("inventory_reader_data_actions")));
        for (TerraformConfig.Block role : t.tf.resources("azurerm_role_definition")) {
            JsonNode permissions = role.nested("permissions");
            assertEquals(
                    0,
                    permissions.get("actions").size(),
                    role.where() + " grants control-plane actions");
            assertFalse(
                    permissions.has("not_data_actions") || permissions.has("not_actions"),
                    role.where());
            JsonNode scopes = role.required("assignable_scopes");
            assertEquals(1, scopes.size(), role.where());
            assertEquals(
                    "${each." + (role.name().equals("repository_cleaner") ? "key" : "value") + "}",
                    scopes.get(0).asText(),
                    role.where() + " is assignable only where it is used");
        }
    }

    @Test
    void alertsWatchTheSameEventsWithTheSameSeverityInBoth() {
        BicepFile alerts = t.bicepFile("alerts.bicep");
        Map<String, String> bicep = new TreeMap<>();
        Matcher items = Pattern.compile("(?s)\\{(.*?)}").matcher(alerts.var("eventAlerts"));
        while (items.find()) {
            Map<String, String> item = BicepFile.properties(items.group(1));
            bicep.put(BicepFile.literal(item.get("event"), "eventAlerts"), item.get("severity"));
        }
        Map<String, String> terraform = new TreeMap<>();
        t.tf.local("event_alerts")
                .fields()
                .forEachRemaining(
                        e ->
                                terraform.put(
                                        e.getValue().get("event").asText(),
                                        e.getValue().get("severity").asText()));
        assertEquals(
                Map.of("RunFailed", "1", "RunWithheld", "2", "VerificationMissing", "0"), bicep);
        assertEquals(bicep, terraform);

        String bicepMissed =
                alerts.resources().stream()
                        .filter(r -> r.symbol().equals("missedRunAlert"))
                        .findFirst()
                        .orElseThrow()
                        .body();
        JsonNode tfMissed =
                t.tf.resource("azurerm_monitor_scheduled_query_rules_alert_v2", "missed_run")
                        .nested("criteria");
        for (String event : List.of("'RunCompleted'", "'RunWithheld'", "'RunFailed'")) {
            assertTrue(
                    bicepMissed.contains("\\" + event.substring(0, event.length() - 1) + "\\'"),
                    event);
            assertTrue(tfMissed.get("query").asText().contains(event), event);
        }
        assertEquals("LessThan", tfMissed.get("operator").asText());
        assertTrue(bicepMissed.contains("operator: 'LessThan'"));

        assertEquals(
                "!empty(alertEmail)",
                t.main.moduleDeclarations().stream()
                        .filter(m -> m.symbol().equals("alerts"))
                        .findFirst()
                        .orElseThrow()
                        .condition());
        assertEquals(
                "${local.alerts_enabled ? 1 : 0}",
                t.tf.resource("azurerm_monitor_action_group", "alerts").text("count"));
        assertEquals(
                "${var.alert_email}",
                t.tf.resource("azurerm_monitor_action_group", "alerts")
                        .nested("email_receiver")
                        .get("email_address")
                        .asText());
        assertTrue(
                InfraTemplates.read(t.root.resolve("infra/README.md")).contains("`RunCompleted`"),
                "infra/README.md names the events the alerts read, for the app to emit");
    }

    @Test
    void pullLogsSendTheRepositoryEventsOfEveryRegistryInBoth() {
        BicepFile.Resource setting =
                t.bicepFile("registryAccess.bicep").resources().stream()
                        .filter(r -> r.type().equals("Microsoft.Insights/diagnosticSettings"))
                        .findFirst()
                        .orElseThrow();
        assertEquals("!empty(pullLogsWorkspaceResourceId)", setting.condition());
        assertTrue(setting.body().contains("category: 'ContainerRegistryRepositoryEvents'"));
        TerraformConfig.Block tf =
                t.tf.resource("azurerm_monitor_diagnostic_setting", "registry_pull_logs");
        assertEquals(
                "ContainerRegistryRepositoryEvents",
                tf.nested("enabled_log").get("category").asText());
        assertEquals("${var.pull_logs_workspace_id}", tf.text("log_analytics_workspace_id"));
        assertTrue(tf.text("for_each").contains("for r in var.registries : r.resource_id"));
    }

    private static List<String> bicepDataActions(String file, String symbol) {
        BicepFile.Resource role =
                t.bicepFile(file).resources().stream()
                        .filter(r -> r.symbol().equals(symbol))
                        .findFirst()
                        .orElseThrow();
        String permissions =
                BicepFile.property(
                        BicepFile.property(role.body(), "properties", role.where()),
                        "permissions",
                        role.where());
        assertTrue(
                permissions.contains("actions: []"),
                role.where() + " grants control-plane actions");
        String dataActions = permissions.substring(permissions.indexOf("dataActions: ["));
        dataActions = dataActions.substring(0, dataActions.indexOf(']'));
        List<String> out = new ArrayList<>();
        Matcher m = QUOTED.matcher(dataActions);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
