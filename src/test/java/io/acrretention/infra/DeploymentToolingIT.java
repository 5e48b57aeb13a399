package io.acrretention.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the tools themselves need to deploy at all: the Maven plugin that knows Flex Consumption,
 * and an azurerm provider that has a subscription and stays off the storage data plane when shared
 * keys are off.
 */
class DeploymentToolingIT {
    private static final Pattern PLUGIN =
            Pattern.compile(
                    "(?s)<artifactId>azure-functions-maven-plugin</artifactId>\\s*(?:<!--.*?-->\\s*)?<version>([\\d.]+)</version>"
                            + "(.*?)</plugin>");

    private static InfraTemplates t;

    @BeforeAll
    static void read() {
        t = new InfraTemplates();
    }

    @Test
    void theMavenPluginKnowsFlexConsumptionAndSetsNoRuntimeAppSetting() {
        Matcher m = PLUGIN.matcher(InfraTemplates.read(t.root.resolve("pom.xml")));
        assertTrue(m.find(), "pom.xml has no azure-functions-maven-plugin with a version");
        String[] version = m.group(1).split("\\.");
        int major = Integer.parseInt(version[0]);
        int minor = Integer.parseInt(version[1]);
        // Flex Consumption support came in 1.35.0; older versions zip-deploy with
        // WEBSITE_RUN_FROM_PACKAGE.
        assertTrue(
                major > 1 || (major == 1 && minor >= 35),
                "azure-functions-maven-plugin "
                        + m.group(1)
                        + " predates Flex Consumption (1.35.0)");
        String configuration = m.group(2).replaceAll("(?s)<!--.*?-->", "");
        assertFalse(
                configuration.contains("FUNCTIONS_EXTENSION_VERSION"),
                "Flex keeps the runtime version in functionAppConfig: no FUNCTIONS_EXTENSION_VERSION app setting");
        assertFalse(configuration.contains("FUNCTIONS_WORKER_RUNTIME"));
        assertTrue(configuration.contains("<pricingTier>Flex Consumption</pricingTier>"));
    }

    @Test
    void azurermIsPinnedToTheVersionsWhoseArgumentsTheTemplatesUse() {
        JsonNode azurerm =
                t.tf.file("versions.tf")
                        .get("terraform")
                        .get(0)
                        .get("required_providers")
                        .get(0)
                        .get("azurerm");
        assertEquals(">= 4.46, < 5.0", azurerm.get("version").asText());
    }

    @Test
    void azurermHasASubscriptionAndStaysOffTheStorageDataPlane() {
        JsonNode provider = t.tf.file("versions.tf").get("provider").get("azurerm").get(0);
        assertEquals(
                "${var.subscription_id}",
                provider.path("subscription_id").asText(),
                "azurerm 4.x needs subscription_id (or ARM_SUBSCRIPTION_ID)");
        JsonNode variable = t.tf.variable("subscription_id");
        assertTrue(
                variable.has("default") && variable.get("default").isNull(),
                "subscription_id defaults to null, so that ARM_SUBSCRIPTION_ID is taken when it is not given");
        JsonNode storage = provider.get("features").get(0).get("storage").get(0);
        assertFalse(
                storage.get("data_plane_available").asBoolean(true),
                "with shared keys off the provider's data-plane reads fail with 403");
        TerraformConfig.Block account = t.tf.resource("azurerm_storage_account", "main");
        for (String dataPlaneOnly : new String[] {"queue_properties", "static_website"}) {
            assertFalse(
                    account.body().has(dataPlaneOnly),
                    dataPlaneOnly
                            + " needs the data plane, which data_plane_available = false refuses");
        }
    }
}
