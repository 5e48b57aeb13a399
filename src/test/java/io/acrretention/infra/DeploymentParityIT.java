package io.acrretention.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.json.Json;
import io.acrretention.run.RepositoryMessage;
import io.acrretention.run.RunRequest;
import io.acrretention.service.RunQueues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Bicep and Terraform templates deploy the same thing: same resources, roles, settings and
 * outputs.
 */
class DeploymentParityIT {
    private static final Map<String, String> BICEP_KINDS =
            Map.ofEntries(
                    Map.entry(
                            "Microsoft.OperationalInsights/workspaces", "log-analytics-workspace"),
                    Map.entry("Microsoft.Insights/components", "application-insights"),
                    Map.entry(
                            "Microsoft.ManagedIdentity/userAssignedIdentities",
                            "user-assigned-identity"),
                    Map.entry("Microsoft.Storage/storageAccounts", "storage-account"),
                    Map.entry("Microsoft.Storage/storageAccounts/blobServices", "-"),
                    Map.entry("Microsoft.Storage/storageAccounts/queueServices", "-"),
                    Map.entry(
                            "Microsoft.Storage/storageAccounts/blobServices/containers",
                            "blob-container"),
                    Map.entry("Microsoft.Storage/storageAccounts/queueServices/queues", "queue"),
                    Map.entry("Microsoft.Web/serverfarms", "plan"),
                    Map.entry("Microsoft.Web/sites", "function-app"),
                    Map.entry(
                            "Microsoft.Web/sites/basicPublishingCredentialsPolicies",
                            "publishing-credentials-policy"),
                    Map.entry("Microsoft.Authorization/roleAssignments", "role-assignment"),
                    Map.entry("Microsoft.Authorization/roleDefinitions", "role-definition"),
                    Map.entry("Microsoft.Insights/diagnosticSettings", "diagnostic-setting"),
                    Map.entry("Microsoft.Insights/actionGroups", "action-group"),
                    Map.entry("Microsoft.Insights/scheduledQueryRules", "scheduled-query-rule"));
    private static final Map<String, String> TERRAFORM_KINDS =
            Map.ofEntries(
                    Map.entry("azurerm_log_analytics_workspace", "log-analytics-workspace"),
                    Map.entry("azurerm_application_insights", "application-insights"),
                    Map.entry("azurerm_user_assigned_identity", "user-assigned-identity"),
                    Map.entry("azurerm_storage_account", "storage-account"),
                    Map.entry("azurerm_storage_container", "blob-container"),
                    Map.entry("azurerm_storage_queue", "queue"),
                    Map.entry("azurerm_service_plan", "plan"),
                    Map.entry("azurerm_linux_function_app", "function-app"),
                    Map.entry("azapi_resource:Microsoft.Web/sites", "function-app"),
                    Map.entry(
                            "azapi_resource:Microsoft.Web/sites/basicPublishingCredentialsPolicies",
                            "publishing-credentials-policy"),
                    Map.entry("azurerm_role_assignment", "role-assignment"),
                    Map.entry("azurerm_role_definition", "role-definition"),
                    Map.entry("azurerm_monitor_diagnostic_setting", "diagnostic-setting"),
                    Map.entry("azurerm_monitor_action_group", "action-group"),
                    Map.entry(
                            "azurerm_monitor_scheduled_query_rules_alert_v2",
                            "scheduled-query-rule"));

    /** Where a role is granted, by the type of the resource it is scoped to. */
    private static final Map<String, String> SCOPES =
            Map.of(
                    "Microsoft.ContainerRegistry/registries", "registry",
                    "Microsoft.ContainerService/managedClusters", "cluster",
                    "Microsoft.Storage/storageAccounts", "storage-account",
                    "Microsoft.Insights/components", "application-insights",
                    "Microsoft.OperationalInsights/workspaces", "log-analytics-workspace");

    /**
     * A grant's condition in Bicep (on the resource, else on the module that deploys its file) by
     * its meaning.
     */
    private static final Map<String, String> BICEP_CONDITIONS =
            Map.of(
                    "!abacRepositoryPermissions", "rbac-mode",
                    "abacRepositoryPermissions", "abac-mode",
                    "!abacRepositoryPermissions && allowRestore", "rbac-mode-restore",
                    "abacRepositoryPermissions && allowRestore", "abac-mode-restore",
                    "!customClusterRole", "builtin-cluster-role",
                    "customClusterRole", "custom-cluster-role",
                    "!empty(pullLogsWorkspaceId)", "pull-logs");

    private static final Pattern BICEP_CUSTOM_ROLE = Pattern.compile("(\\w+)\\.id");
    private static final Pattern BICEP_CUSTOM_ROLE_NAME =
            Pattern.compile("'acr-retention-([a-z-]+)'\\)");
    private static final Pattern TERRAFORM_CUSTOM_ROLE =
            Pattern.compile(
                    "\\$\\{azurerm_role_definition\\.(\\w+)\\[each\\.key]\\.role_definition_resource_id}");
    private static final Pattern BICEP_ROLE_ID =
            Pattern.compile(
                    "subscriptionResourceId\\('Microsoft\\.Authorization/roleDefinitions', (\\w+)\\)");

    /**
     * Only the local settings file needs these; in Azure they are the identity-based triple or the
     * runtime.
     */
    private static final Set<String> LOCAL_ONLY_SETTINGS =
            Set.of("FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage");

    private static InfraTemplates t;

    @BeforeAll
    static void read() {
        t = new InfraTemplates();
    }

    @Test
    void bothDeployTheSameKindsOfResource() {
        Set<String> bicep = new TreeSet<>();
        for (BicepFile file : t.bicepFiles) {
            for (BicepFile.Resource r : file.resources()) {
                if (!r.existing()) {
                    bicep.add(kind(BICEP_KINDS, r.type(), r.where()));
                }
            }
        }
        bicep.remove("-");
        Set<String> terraform = new TreeSet<>();
        for (TerraformConfig.Block b : t.tf.resources()) {
            String type =
                    b.type().equals("azapi_resource")
                            ? "azapi_resource:" + b.text("type").split("@")[0]
                            : b.type();
            terraform.add(kind(TERRAFORM_KINDS, type, b.where()));
        }
        assertEquals(bicep, terraform);
    }

    @Test
    void bothGrantTheSameRolesAtTheSameScopesUnderTheSameConditions() {
        assertEquals(expectedGrants(), bicepGrants());
        assertEquals(expectedGrants(), terraformGrants());
    }

    @Test
    void everyGrantedRoleIsListedInTheInfraReadme() {
        String readme = InfraTemplates.read(t.root.resolve("infra/README.md"));
        for (String grant : bicepGrants()) {
            String role = grant.split(" ")[1];
            String roleId =
                    role.startsWith("custom:")
                            ? "acr-retention " + role.substring(7).replace('-', ' ')
                            : role;
            assertTrue(
                    readme.contains(roleId),
                    "infra/README.md does not list role " + roleId + " (" + grant + ")");
        }
    }

    @Test
    void bothCreateTheContainersAndQueuesTheAppUses() {
        BicepFile storage = t.bicepFile("storage.bicep");
        Set<String> bicepContainers = new TreeSet<>();
        Set<String> bicepQueues = new TreeSet<>();
        for (BicepFile.Resource r : storage.resources()) {
            String name = BicepFile.property(r.body(), "name", r.where());
            if (r.type().endsWith("/containers")) {
                bicepContainers.add(storage.stringVar(name));
            } else if (r.type().endsWith("/queues")) {
                bicepQueues.add(storage.stringVar(name));
            }
        }
        assertEquals(Set.of("retention", "app-package"), bicepContainers);
        // The queues the app reads and writes, by the app's own names.
        assertEquals(
                Set.of(RepositoryMessage.QUEUE, RunQueues.REPOSITORIES_POISON, RunRequest.QUEUE),
                bicepQueues);
        assertEquals(bicepContainers, terraformNames("azurerm_storage_container"));
        assertEquals(bicepQueues, terraformNames("azurerm_storage_queue"));
    }

    @Test
    void bothSetTheSameAppSettingsOnFlexConsumption() {
        assertEquals(bicepSettings(t), terraformSettings(t));
        assertEquals("local.app_settings", flexAppSettingsSource());
    }

    @Test
    void bothSetTheSameAppSettingsOnConsumption() {
        Set<String> bicep = new TreeSet<>(bicepSettings(t));
        bicep.addAll(
                BicepFile.properties(t.bicepFile("functionApp.bicep").var("consumptionSettings"))
                        .keySet());

        TerraformConfig.Block app = t.tf.resource("azurerm_linux_function_app", "consumption");
        Set<String> terraform = new TreeSet<>(terraformSettings(t));
        t.tf.local("consumption_settings").fieldNames().forEachRemaining(terraform::add);
        // what azurerm_linux_function_app writes itself, from its typed arguments
        assertEquals("~4", app.text("functions_extension_version"));
        terraform.add("FUNCTIONS_EXTENSION_VERSION");
        assertEquals(
                "${var.java_version}",
                app.nested("site_config")
                        .get("application_stack")
                        .get(0)
                        .get("java_version")
                        .asText());
        terraform.add("FUNCTIONS_WORKER_RUNTIME");
        assertTrue(app.required("storage_uses_managed_identity").asBoolean(), app.where());
        assertTrue(
                app.nested("site_config").has("application_insights_connection_string"),
                app.where());
        String appSettings = app.text("app_settings");
        assertTrue(
                appSettings.contains("!contains(local.consumption_provider_settings, name)")
                        && appSettings.contains("local.consumption_settings"),
                app.where() + " app_settings: " + appSettings);
        List<String> providerManaged = new ArrayList<>();
        t.tf.local("consumption_provider_settings").forEach(n -> providerManaged.add(n.asText()));
        assertEquals(
                List.of(
                        "AzureWebJobsStorage__accountName",
                        "APPLICATIONINSIGHTS_CONNECTION_STRING"),
                providerManaged);

        assertEquals(bicep, terraform);
    }

    @Test
    void everySettingOfTheLocalSampleIsSetByBoth() throws IOException {
        JsonNode values =
                Json.MAPPER
                        .readTree(t.root.resolve("local.settings.sample.json").toFile())
                        .get("Values");
        Set<String> sample = new TreeSet<>();
        values.fieldNames().forEachRemaining(sample::add);
        sample.removeAll(LOCAL_ONLY_SETTINGS);
        assertTrue(
                bicepSettings(t).containsAll(sample),
                "Bicep misses " + missing(sample, bicepSettings(t)));
        assertTrue(
                terraformSettings(t).containsAll(sample),
                "Terraform misses " + missing(sample, terraformSettings(t)));
        Set<String> identityStorage =
                Set.of(
                        "AzureWebJobsStorage__accountName",
                        "AzureWebJobsStorage__credential",
                        "AzureWebJobsStorage__clientId");
        assertTrue(
                bicepSettings(t).containsAll(identityStorage)
                        && terraformSettings(t).containsAll(identityStorage));
    }

    @Test
    void bothOutputTheSameValues() {
        Set<String> terraform = new TreeSet<>(t.tf.outputs().keySet());
        Set<String> bicep = new TreeSet<>();
        t.main.outputs()
                .keySet()
                .forEach(name -> bicep.add(name.replaceAll("([A-Z])", "_$1").toLowerCase()));
        assertEquals(
                Set.of(
                        "function_app_name",
                        "default_hostname",
                        "identity_client_id",
                        "identity_principal_id",
                        "storage_account_name"),
                terraform);
        assertEquals(terraform, bicep);
    }

    /**
     * Every setting the Bicep may set: the base ones and both alternatives of the configuration
     * setting.
     */
    static Set<String> bicepSettings(InfraTemplates t) {
        Set<String> names =
                new TreeSet<>(BicepFile.properties(t.main.var("baseSettings")).keySet());
        names.addAll(ConfigSettingIT.bicepAlternatives(t));
        return names;
    }

    static Set<String> terraformSettings(InfraTemplates t) {
        Set<String> names = new TreeSet<>();
        t.tf.local("base_settings").fieldNames().forEachRemaining(names::add);
        names.addAll(ConfigSettingIT.terraformAlternatives(t));
        return names;
    }

    private static String flexAppSettingsSource() {
        JsonNode siteConfig =
                t.tf.resource("azapi_resource", "function_app_flex")
                        .required("body")
                        .get("properties")
                        .get("siteConfig");
        Matcher m =
                Pattern.compile("for name, value in (local\\.\\w+) :")
                        .matcher(siteConfig.get("appSettings").asText());
        if (!m.find()) {
            throw new AssertionError(
                    "the Flex site's appSettings are not built from a local map: " + siteConfig);
        }
        return m.group(1);
    }

    static Set<String> expectedGrants() {
        return Set.of(
                "registry 7f951dda-4ed3-4680-a7ca-43fe172d538d rbac-mode", // AcrPull
                "registry c2f4ef07-c644-48eb-af81-4b1b4947fb11 rbac-mode", // AcrDelete
                "registry 8311e382-0749-4cb8-b61a-304f252e45ec rbac-mode-restore", // AcrPush
                "registry custom:repository-cleaner abac-mode", // metadata and content read/delete
                // only
                "registry bfdb9389-c9a5-478a-bb2f-ba9ca092c3c7 abac-mode", // Container Registry
                // Repository Catalog
                // Lister
                "registry 2a1e307c-b015-4ebd-883e-5b7698a07328 abac-mode-restore", // Container
                // Registry
                // Repository
                // Writer
                "cluster 7f6c6a51-bcf8-42ba-9220-52d62157d7db builtin-cluster-role", // Azure
                // Kubernetes
                // Service RBAC
                // Reader
                "cluster custom:inventory-reader custom-cluster-role", // the inventory's list
                // actions only
                "cluster 4abbcc35-e782-43d8-92c5-2d3f1bd2253f always", // Azure Kubernetes Service
                // Cluster User Role
                "storage-account b7e6dc6d-f1e8-4753-8033-0f276bb0955b always", // Storage Blob Data
                // Owner
                "storage-account 974c5e8b-45b9-4653-ba55-5f855dd0fb88 always", // Storage Queue Data
                // Contributor
                "application-insights 3913510d-42f4-4e42-8a64-420c390055eb always", // Monitoring
                // Metrics
                // Publisher
                "log-analytics-workspace 73c42c96-874c-492b-b04d-ab87d138a893 pull-logs"); // Log
        // Analytics Reader
    }

    private static Set<String> bicepGrants() {
        Set<String> grants = new TreeSet<>();
        for (BicepFile file : t.bicepFiles) {
            for (BicepFile.Resource r : file.resources()) {
                if (!r.type().equals("Microsoft.Authorization/roleAssignments")) {
                    continue;
                }
                String scopeSymbol = BicepFile.property(r.body(), "scope", r.where());
                BicepFile.Resource scope =
                        file.resources().stream()
                                .filter(s -> s.symbol().equals(scopeSymbol))
                                .findFirst()
                                .orElseThrow(
                                        () ->
                                                new AssertionError(
                                                        r.where()
                                                                + ": scope "
                                                                + scopeSymbol
                                                                + " is not a resource of "
                                                                + file.name()));
                String roleDefinitionId =
                        BicepFile.property(
                                BicepFile.property(r.body(), "properties", r.where()),
                                "roleDefinitionId",
                                r.where());
                String condition = r.condition() != null ? r.condition() : moduleCondition(file);
                String when = condition == null ? "always" : BICEP_CONDITIONS.get(condition);
                if (when == null) {
                    unknown(r.where() + ": condition " + condition);
                }
                grants.add(
                        kind(SCOPES, scope.type(), r.where())
                                + " "
                                + bicepRole(file, r, roleDefinitionId)
                                + " "
                                + when);
            }
        }
        return grants;
    }

    private static String bicepRole(BicepFile file, BicepFile.Resource r, String roleDefinitionId) {
        Matcher builtIn = BICEP_ROLE_ID.matcher(roleDefinitionId);
        if (builtIn.matches()) {
            return file.stringVar(builtIn.group(1));
        }
        Matcher custom = BICEP_CUSTOM_ROLE.matcher(roleDefinitionId);
        if (custom.matches()) {
            BicepFile.Resource definition =
                    file.resources().stream()
                            .filter(
                                    d ->
                                            d.symbol().equals(custom.group(1))
                                                    && d.type()
                                                            .equals(
                                                                    "Microsoft.Authorization/roleDefinitions"))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    r.where()
                                                            + ": "
                                                            + roleDefinitionId
                                                            + " is not a role definition of "
                                                            + file.name()));
            Matcher name =
                    BICEP_CUSTOM_ROLE_NAME.matcher(
                            BicepFile.property(definition.body(), "name", definition.where()));
            if (name.find()) {
                return "custom:" + name.group(1);
            }
        }
        throw new AssertionError(
                r.where()
                        + ": roleDefinitionId is neither subscriptionResourceId(..., var) nor"
                        + " a custom role definition named guid(..., 'acr-retention-...')");
    }

    /** The condition under which main.bicep deploys a module file, or null when it always does. */
    private static String moduleCondition(BicepFile file) {
        return t.main.moduleDeclarations().stream()
                .filter(m -> m.path().endsWith("/" + file.name()))
                .map(BicepFile.Module::condition)
                .filter(c -> c != null)
                .findFirst()
                .orElse(null);
    }

    private static Set<String> terraformGrants() {
        Map<String, String> forEachScopes =
                Map.of(
                        "${local.rbac_registries}", "registry rbac-mode",
                        "${local.abac_registries}", "registry abac-mode",
                        "${local.rbac_restore_registries}", "registry rbac-mode-restore",
                        "${local.abac_restore_registries}", "registry abac-mode-restore",
                        "${local.builtin_reader_clusters}", "cluster builtin-cluster-role",
                        "${local.custom_reader_clusters}", "cluster custom-cluster-role",
                        "${local.aks_clusters}", "cluster always",
                        "${local.pull_logs_workspaces}", "log-analytics-workspace pull-logs");
        Map<String, String> directScopes =
                Map.of(
                        "${azurerm_storage_account.main.id}", "storage-account always",
                        "${azurerm_application_insights.main.id}", "application-insights always");
        Set<String> grants = new TreeSet<>();
        for (TerraformConfig.Block b : t.tf.resources("azurerm_role_assignment")) {
            JsonNode forEach = b.body().get("for_each");
            String scope =
                    forEach != null
                            ? forEachScopes.get(forEach.asText())
                            : directScopes.get(b.text("scope"));
            if (scope == null) {
                throw new AssertionError(
                        b.where()
                                + ": cannot tell what scope "
                                + b.text("scope")
                                + (forEach == null ? "" : " over " + forEach.asText())
                                + " is");
            }
            if (forEach != null && !b.text("scope").matches("\\$\\{each\\.(key|value)}")) {
                throw new AssertionError(b.where() + ": scope is not each.key or each.value");
            }
            Matcher custom = TERRAFORM_CUSTOM_ROLE.matcher(b.text("role_definition_id"));
            String roleId =
                    custom.matches()
                            ? "custom:" + custom.group(1).replace('_', '-')
                            : t.tf.resolveLocalMapEntry(b.text("role_definition_id"), b.where());
            String[] parts = scope.split(" ");
            grants.add(parts[0] + " " + roleId + " " + parts[1]);
        }
        return grants;
    }

    private Set<String> terraformNames(String type) {
        Set<String> names = new TreeSet<>();
        for (TerraformConfig.Block b : t.tf.resources(type)) {
            String name = b.text("name");
            Matcher local = Pattern.compile("\\$\\{local\\.(\\w+)}").matcher(name);
            names.add(local.matches() ? t.tf.local(local.group(1)).asText() : name);
        }
        return names;
    }

    private static String kind(Map<String, String> kinds, String type, String where) {
        String kind = kinds.get(type);
        if (kind == null) {
            throw new AssertionError(
                    where
                            + ": resource type "
                            + type
                            + " has no counterpart listed in "
                            + "DeploymentParityIT; deploy it with both tools and list it there");
        }
        return kind;
    }

    private static String unknown(String what) {
        throw new AssertionError(what + " is not understood by the infra check");
    }

    private static Set<String> missing(Set<String> wanted, Set<String> have) {
        Set<String> missing = new TreeSet<>(wanted);
        missing.removeAll(have);
        return missing;
    }
}
