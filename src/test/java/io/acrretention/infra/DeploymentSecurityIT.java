package io.acrretention.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No secret, TLS 1.2, shared keys and local auth off, dry run by default, Java 17 on Flex: in both
 * templates.
 */
class DeploymentSecurityIT {
    /** Anything that reads, writes or builds a key, a SAS or a key-bearing connection string. */
    private static final Pattern SECRET =
            Pattern.compile(
                    String.join(
                            "|",
                            "listKeys",
                            "listAccountSas",
                            "listServiceSas",
                            "AccountKey=",
                            "SharedAccessSignature",
                            "SharedAccessKey",
                            "primary_access_key",
                            "secondary_access_key",
                            "primary_connection_string",
                            "secondary_connection_string",
                            "storage_account_access_key",
                            "storage_access_key",
                            "StorageAccountConnectionString",
                            "instrumentation_key",
                            "InstrumentationKey",
                            "APPINSIGHTS_INSTRUMENTATIONKEY",
                            "client_secret",
                            "clientSecret",
                            "password"),
                    Pattern.CASE_INSENSITIVE);

    private static InfraTemplates t;

    @BeforeAll
    static void read() {
        t = new InfraTemplates();
    }

    @Test
    void noTemplateReadsWritesOrBuildsAKeyOrSecret() {
        for (Path file : t.allFiles()) {
            if (file.toString().endsWith("README.md")) {
                continue; // explains what is absent and why
            }
            String[] lines = InfraTemplates.read(file).split("\n");
            for (int i = 0; i < lines.length; i++) {
                assertFalse(
                        SECRET.matcher(lines[i]).find(),
                        t.root.relativize(file)
                                + " line "
                                + (i + 1)
                                + " handles a key or secret: "
                                + lines[i].strip());
            }
        }
    }

    @Test
    void storageAllowsNeitherSharedKeysNorPublicBlobsNorOldTls() {
        String account = storageAccountBody();
        String properties = BicepFile.property(account, "properties", "the Bicep storage account");
        Map<String, String> bicep = BicepFile.properties(properties);
        assertEquals("false", bicep.get("allowSharedKeyAccess"));
        assertEquals("false", bicep.get("allowBlobPublicAccess"));
        assertEquals("true", bicep.get("supportsHttpsTrafficOnly"));
        assertEquals("'TLS1_2'", bicep.get("minimumTlsVersion"));

        TerraformConfig.Block tf = t.tf.resource("azurerm_storage_account", "main");
        assertFalse(tf.required("shared_access_key_enabled").asBoolean(true));
        assertFalse(tf.required("allow_nested_items_to_be_public").asBoolean(true));
        assertTrue(tf.required("https_traffic_only_enabled").asBoolean());
        assertEquals("TLS1_2", tf.text("min_tls_version"));
        assertTrue(
                t.tf.file("versions.tf")
                        .get("provider")
                        .get("azurerm")
                        .get(0)
                        .get("storage_use_azuread")
                        .asBoolean(),
                "the azurerm provider must reach a keyless storage account with Entra ID");
    }

    @Test
    void applicationInsightsAcceptsOnlyEntraAuthenticatedTelemetry() {
        BicepFile monitoring = t.bicepFile("monitoring.bicep");
        BicepFile.Resource ai =
                monitoring.resources().stream()
                        .filter(r -> r.type().equals("Microsoft.Insights/components"))
                        .findFirst()
                        .orElseThrow();
        assertEquals(
                "true",
                BicepFile.properties(BicepFile.property(ai.body(), "properties", ai.where()))
                        .get("DisableLocalAuth"));
        assertTrue(
                t.tf.resource("azurerm_application_insights", "main")
                        .required("local_authentication_disabled")
                        .asBoolean());

        String bicepAuth =
                BicepFile.properties(t.main.var("baseSettings"))
                        .get("APPLICATIONINSIGHTS_AUTHENTICATION_STRING");
        assertEquals("'Authorization=AAD;ClientId=${identity.properties.clientId}'", bicepAuth);
        assertEquals(
                "Authorization=AAD;ClientId=${azurerm_user_assigned_identity.app.client_id}",
                t.tf.local("base_settings")
                        .get("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")
                        .asText());
    }

    @Test
    void storageSettingsAreIdentityBasedWithTheAppIdentity() {
        Map<String, String> bicep = BicepFile.properties(t.main.var("baseSettings"));
        JsonNode tf = t.tf.local("base_settings");
        assertEquals("'managedidentity'", bicep.get("AzureWebJobsStorage__credential"));
        assertEquals("managedidentity", tf.get("AzureWebJobsStorage__credential").asText());
        assertEquals("identity.properties.clientId", bicep.get("AzureWebJobsStorage__clientId"));
        assertEquals("identity.properties.clientId", bicep.get("AZURE_CLIENT_ID"));
        assertEquals(
                "${azurerm_user_assigned_identity.app.client_id}",
                tf.get("AzureWebJobsStorage__clientId").asText());
        assertEquals(
                "${azurerm_user_assigned_identity.app.client_id}",
                tf.get("AZURE_CLIENT_ID").asText());
        assertFalse(
                bicep.containsKey("AzureWebJobsStorage") || tf.has("AzureWebJobsStorage"),
                "a plain AzureWebJobsStorage is a connection string and would win over the identity settings");
    }

    @Test
    void theFunctionAppIsHttpsOnlyWithTls12() {
        for (BicepFile.Resource site : t.bicepFile("functionApp.bicep").resources()) {
            if (site.type().equals("Microsoft.Web/sites")) {
                String props = BicepFile.property(site.body(), "properties", site.where());
                assertEquals("true", BicepFile.property(props, "httpsOnly", site.where()));
                String siteConfig = BicepFile.property(props, "siteConfig", site.where());
                assertEquals(
                        "'1.2'", BicepFile.property(siteConfig, "minTlsVersion", site.where()));
                assertEquals(
                        "'Disabled'", BicepFile.property(siteConfig, "ftpsState", site.where()));
            }
        }
        JsonNode flex =
                t.tf.resource("azapi_resource", "function_app_flex")
                        .required("body")
                        .get("properties");
        assertTrue(flex.get("httpsOnly").asBoolean());
        assertEquals("1.2", flex.get("siteConfig").get("minTlsVersion").asText());
        TerraformConfig.Block consumption =
                t.tf.resource("azurerm_linux_function_app", "consumption");
        assertTrue(consumption.required("https_only").asBoolean());
        assertEquals("1.2", consumption.nested("site_config").get("minimum_tls_version").asText());
    }

    @Test
    void retentionRunsDryByDefaultInBothAndInTheExamples() {
        BicepFile.Param mode = t.main.param("retentionMode");
        assertEquals("'dry-run'", mode.defaultValue());
        assertEquals(List.of("dry-run", "delete"), mode.allowed());
        BicepFile.Module config =
                t.main.moduleDeclarations().stream()
                        .filter(m -> m.symbol().equals("retentionConfig"))
                        .findFirst()
                        .orElseThrow();
        assertEquals(
                "retentionMode",
                BicepFile.property(
                        BicepFile.property(config.body(), "params", config.where()),
                        "mode",
                        config.where()));
        assertTrue(
                t.bicepFile("retentionConfig.bicep").outputs().get("json").contains("mode: mode"),
                "the configuration's policy takes its mode from the retentionMode parameter");
        assertTrue(
                InfraTemplates.read(t.bicep.resolve("main.bicepparam"))
                        .contains("param retentionMode = 'dry-run'"));

        JsonNode variable = t.tf.variable("retention_mode");
        assertEquals("dry-run", variable.get("default").asText());
        assertEquals(
                "${contains([\"dry-run\", \"delete\"], var.retention_mode)}",
                variable.get("validation").get(0).get("condition").asText());
        assertTrue(t.tf.local("retention_config").asText().contains("mode = var.retention_mode"));
        assertEquals(
                "dry-run", t.tf.file("terraform.tfvars.example").get("retention_mode").asText());
    }

    @Test
    void flexRunsJava17FromFunctionAppConfigWithTheIdentityReadingThePackage() {
        String flex =
                t.bicepFile("functionApp.bicep").resources().stream()
                        .filter(r -> r.symbol().equals("flexApp"))
                        .findFirst()
                        .orElseThrow()
                        .body();
        String config =
                BicepFile.property(
                        BicepFile.property(flex, "properties", "flexApp"),
                        "functionAppConfig",
                        "flexApp");
        String runtime = BicepFile.property(config, "runtime", "functionAppConfig");
        assertEquals("'java'", BicepFile.property(runtime, "name", "runtime"));
        assertEquals("javaVersion", BicepFile.property(runtime, "version", "runtime"));
        assertEquals("'17'", t.main.param("javaVersion").defaultValue());
        String auth =
                BicepFile.property(
                        BicepFile.property(
                                BicepFile.property(config, "deployment", "config"),
                                "storage",
                                "deployment"),
                        "authentication",
                        "storage");
        assertEquals("'UserAssignedIdentity'", BicepFile.property(auth, "type", "authentication"));
        assertTrue(
                BicepFile.property(
                                t.bicepFile("functionApp.bicep").resources().get(0).body(),
                                "sku",
                                "plan")
                        .contains("name: 'FC1'"));

        JsonNode tfConfig =
                t.tf.resource("azapi_resource", "function_app_flex")
                        .required("body")
                        .get("properties")
                        .get("functionAppConfig");
        assertEquals("java", tfConfig.get("runtime").get("name").asText());
        assertEquals("${var.java_version}", tfConfig.get("runtime").get("version").asText());
        assertEquals("17", t.tf.variable("java_version").get("default").asText());
        assertEquals(
                "UserAssignedIdentity",
                tfConfig.get("deployment")
                        .get("storage")
                        .get("authentication")
                        .get("type")
                        .asText());
        assertEquals(
                "${local.is_flex ? \"FC1\" : \"Y1\"}",
                t.tf.resource("azurerm_service_plan", "main").text("sku_name"));
    }

    @Test
    void flexSettingsLeaveTheRuntimeToFunctionAppConfig() {
        for (String name : List.of("FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION")) {
            assertFalse(
                    DeploymentParityIT.bicepSettings(t).contains(name),
                    "Bicep sets " + name + " on Flex");
            assertFalse(
                    DeploymentParityIT.terraformSettings(t).contains(name),
                    "Terraform sets " + name + " on Flex");
        }
    }

    private static String storageAccountBody() {
        return t.bicepFile("storage.bicep").resources().stream()
                .filter(r -> r.type().equals("Microsoft.Storage/storageAccounts"))
                .findFirst()
                .orElseThrow()
                .body();
    }
}
