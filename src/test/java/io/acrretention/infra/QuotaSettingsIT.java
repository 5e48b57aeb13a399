package io.acrretention.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.config.QuotaPlan;
import io.acrretention.config.RegistryQuota;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both templates take the registries' SKU and set the host from it exactly as the app's {@link
 * QuotaPlan} derives it, within what Flex Consumption allows (docs/performance.md).
 */
class QuotaSettingsIT {
    private static final String BATCH = "AzureFunctionsJobHost__extensions__queues__batchSize";
    private static final String THRESHOLD =
            "AzureFunctionsJobHost__extensions__queues__newBatchThreshold";

    private static InfraTemplates t;

    @BeforeAll
    static void read() {
        t = new InfraTemplates();
    }

    static List<String> skus() {
        return Arrays.stream(RegistryQuota.Sku.values()).map(RegistryQuota.Sku::json).toList();
    }

    static QuotaPlan plan(RegistryQuota.Sku sku) {
        return QuotaPlan.of(sku.quota(), 8);
    }

    @Test
    void bothTakeTheSameSkusAsTheAppWithPremiumByDefault() {
        BicepFile.Param bicep = t.main.param("registrySku");
        assertEquals(skus(), bicep.allowed());
        assertEquals("'Premium'", bicep.defaultValue());

        JsonNode tf = t.tf.variable("registry_sku");
        assertEquals("Premium", tf.get("default").asText());
        assertEquals(
                "${contains([\"Basic\", \"Standard\", \"Premium\"], var.registry_sku)}",
                tf.get("validation").get(0).get("condition").asText());
    }

    @Test
    void theQueueBatchOfEverySkuIsTheQuotaPlansInBothTemplates() {
        Map<String, String> bicep = BicepFile.properties(t.main.var("queueHost"));
        JsonNode tf = t.tf.local("queue_host");
        assertEquals(skus(), List.copyOf(bicep.keySet()));
        for (RegistryQuota.Sku sku : RegistryQuota.Sku.values()) {
            QuotaPlan p = plan(sku);
            String where = "queueHost." + sku.json();
            String entry = bicep.get(sku.json());
            assertEquals(
                    Integer.toString(p.batchSize()), BicepFile.property(entry, "batchSize", where));
            assertEquals(
                    Integer.toString(p.newBatchThreshold()),
                    BicepFile.property(entry, "newBatchThreshold", where));
            assertEquals(p.batchSize(), tf.get(sku.json()).get("batchSize").asInt(), where);
            assertEquals(
                    p.newBatchThreshold(),
                    tf.get(sku.json()).get("newBatchThreshold").asInt(),
                    where);
        }
        Map<String, String> settings = BicepFile.properties(t.main.var("baseSettings"));
        assertEquals("string(queueHost[registrySku].batchSize)", settings.get(BATCH));
        assertEquals("string(queueHost[registrySku].newBatchThreshold)", settings.get(THRESHOLD));
        JsonNode base = t.tf.local("base_settings");
        assertEquals(
                "${tostring(local.queue_host[var.registry_sku].batchSize)}",
                base.get(BATCH).asText());
        assertEquals(
                "${tostring(local.queue_host[var.registry_sku].newBatchThreshold)}",
                base.get(THRESHOLD).asText());
    }

    @Test
    void theInstanceLimitIsTheQuotaPlansForEverySkuAndWithinFlexsRange() {
        // Flex Consumption takes 40 to 1000 (azurerm's function_app_flex_consumption validates
        // IntBetween(40, 1000)); the plan never asks for less than Flex gives.
        assertEquals(40, QuotaPlan.FLEX_MIN_INSTANCES);
        assertEquals(1000, QuotaPlan.FLEX_MAX_INSTANCES);
        for (RegistryQuota.Sku sku : RegistryQuota.Sku.values()) {
            int derived = plan(sku).maximumInstanceCount();
            assertEquals(
                    Integer.toString(derived),
                    t.main.param("maximumInstanceCount").defaultValue(),
                    sku.json());
            assertEquals(
                    derived,
                    t.tf.variable("maximum_instance_count").get("default").asInt(),
                    sku.json());
        }
    }

    @Test
    void everyRegistryOfTheConfigurationCarriesTheSku() {
        String bicep = t.bicepFile("retentionConfig.bicep").var("registries");
        assertEquals(
                2,
                Pattern.compile("sku: registrySku").matcher(bicep).results().count(),
                "both shapes of a registry entry: " + bicep);
        assertEquals(
                "registrySku",
                BicepFile.property(
                        BicepFile.property(
                                t.main.moduleDeclarations().stream()
                                        .filter(m -> m.symbol().equals("retentionConfig"))
                                        .findFirst()
                                        .orElseThrow()
                                        .body(),
                                "params",
                                "module retentionConfig"),
                        "registrySku",
                        "module retentionConfig"));
        assertTrue(
                Pattern.compile("sku\\s*=\\s*var\\.registry_sku")
                        .matcher(t.tf.local("retention_config").asText())
                        .find(),
                "retention_config: " + t.tf.local("retention_config").asText());
    }
}
