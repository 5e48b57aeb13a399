package io.acrretention.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryQuotaTest {
    static RetentionConfig parse(String registryKeys) {
        return ConfigParser.parse(
                """
                {"registries": [{"endpoint": "https://myreg.azurecr.io"%s}], "clusters": []}"""
                        .formatted(registryKeys),
                "test");
    }

    static List<String> problems(String registryKeys) {
        return assertThrows(ConfigException.class, () -> parse(registryKeys)).problems();
    }

    @Test
    void aSkuGivesItsPublishedQuota() {
        assertEquals(
                new RegistryQuota("Standard", 500, 3000),
                parse(", \"sku\": \"Standard\"").registries().get(0).quota());
        assertEquals(
                new RegistryQuota("Premium", 2000, 10000),
                parse(", \"sku\": \"premium\"").registries().get(0).quota(),
                "the SKU's case does not matter");
    }

    @Test
    void explicitNumbersWinOverTheSkus() {
        assertEquals(
                new RegistryQuota("Premium", 1500, 10000),
                parse(", \"sku\": \"Premium\", \"writesPerMinute\": 1500")
                        .registries()
                        .get(0)
                        .quota());
        assertEquals(
                new RegistryQuota(null, 300, 1500),
                parse(", \"writesPerMinute\": 300").registries().get(0).quota(),
                "reads default to five times the writes");
    }

    @Test
    void withoutSkuOrWritesPerMinuteTheRegistryHasNoQuotaAndIsNotPaced() {
        assertNull(parse("").registries().get(0).quota());
    }

    @Test
    void badQuotaSettingsAreErrorsThatNameTheKeyAndTheValue() {
        assertEquals(
                List.of(
                        "registries[0].sku: must be Basic, Standard or Premium (the registry's SKU,"
                                + " which sets its quota), got string \"Premum\""),
                problems(", \"sku\": \"Premum\""));
        assertEquals(
                List.of(
                        "registries[0].writesPerMinute: must be between 1 and 1,000,000 requests a"
                                + " minute, got 0"),
                problems(", \"sku\": \"Basic\", \"writesPerMinute\": 0"));
        assertEquals(
                List.of(
                        "registries[0].readsPerMinute: must be a whole number, got string \"lots\""),
                problems(", \"writesPerMinute\": 100, \"readsPerMinute\": \"lots\""));
        assertEquals(
                List.of(
                        "registries[0].readsPerMinute: needs writesPerMinute or sku beside it:"
                                + " deletes are paced by the write quota"),
                problems(", \"readsPerMinute\": 1000"));
    }
}
