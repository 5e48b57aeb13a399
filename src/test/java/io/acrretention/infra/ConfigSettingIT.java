package io.acrretention.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The app starts only with exactly one of RETENTION_CONFIG and RETENTION_CONFIG_BLOB
 * (FunctionApp.config): both templates set one or the other, chosen by whether a configuration blob
 * is given, never both.
 */
class ConfigSettingIT {
    private static final Set<String> CONFIG_SETTINGS =
            Set.of("RETENTION_CONFIG", "RETENTION_CONFIG_BLOB");
    private static final Pattern BICEP_CHOICE =
            Pattern.compile("(?s)empty\\(retentionConfigBlob\\) \\? (\\{.*?}) : (\\{.*})");
    private static final Pattern TERRAFORM_CHOICE =
            Pattern.compile(
                    "\\$\\{var\\.retention_config_blob == \"\" \\? tomap\\(\\{ (\\w+) = [^}]+}\\) : tomap\\(\\{ (\\w+) = [^}]+}\\)}");

    private static InfraTemplates t;

    @BeforeAll
    static void read() {
        t = new InfraTemplates();
    }

    @Test
    void bicepSetsTheInlineConfigurationWithoutABlobAndOnlyTheBlobWithOne() {
        assertEquals(List.of("RETENTION_CONFIG", "RETENTION_CONFIG_BLOB"), bicepAlternatives(t));
        assertEquals("union(baseSettings, configSetting)", t.main.var("appSettings"));
        Map<String, String> base = BicepFile.properties(t.main.var("baseSettings"));
        assertFalse(
                base.keySet().stream().anyMatch(CONFIG_SETTINGS::contains),
                "baseSettings sets a configuration setting besides the chosen one: "
                        + base.keySet());
    }

    @Test
    void terraformSetsTheInlineConfigurationWithoutABlobAndOnlyTheBlobWithOne() {
        assertEquals(
                List.of("RETENTION_CONFIG", "RETENTION_CONFIG_BLOB"), terraformAlternatives(t));
        assertEquals(
                "${merge(local.base_settings, local.config_setting)}",
                t.tf.local("app_settings").asText());
        Set<String> base = new TreeSet<>();
        t.tf.local("base_settings").fieldNames().forEachRemaining(base::add);
        assertFalse(
                base.stream().anyMatch(CONFIG_SETTINGS::contains),
                "base_settings sets a configuration setting besides the chosen one: " + base);
    }

    /**
     * The setting for no blob, then the one for a blob; fails unless configSetting is that one
     * choice.
     */
    static List<String> bicepAlternatives(InfraTemplates t) {
        Matcher m = BICEP_CHOICE.matcher(t.main.var("configSetting"));
        if (!m.matches()) {
            throw new AssertionError(
                    "main.bicep's configSetting is not empty(retentionConfigBlob) ? {...} : {...}: "
                            + t.main.var("configSetting"));
        }
        Set<String> none = BicepFile.properties(m.group(1)).keySet();
        Set<String> blob = BicepFile.properties(m.group(2)).keySet();
        if (none.size() != 1 || blob.size() != 1) {
            throw new AssertionError(
                    "each branch of configSetting must set one setting: " + none + " / " + blob);
        }
        return List.of(none.iterator().next(), blob.iterator().next());
    }

    static List<String> terraformAlternatives(InfraTemplates t) {
        String choice = t.tf.local("config_setting").asText();
        Matcher m = TERRAFORM_CHOICE.matcher(choice);
        if (!m.matches()) {
            throw new AssertionError(
                    "local.config_setting is not var.retention_config_blob == \"\" ? tomap({...})"
                            + " : tomap({...}) with one setting each: "
                            + choice);
        }
        return List.of(m.group(1), m.group(2));
    }
}
