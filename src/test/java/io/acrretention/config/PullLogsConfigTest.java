package io.acrretention.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PullLogsConfigTest {
    private static final String WORKSPACE = "0b5f3c1e-0000-4000-8000-000000000001";

    private static String config(String registry, String policy) {
        return """
                {"registries": [%s], "clusters": [], "policy": %s}"""
                .formatted(registry, policy);
    }

    @Test
    void aRegistryNamesItsWorkspaceAndTheIdentitiesWhosePullsDoNotCount() {
        RetentionConfig c =
                ConfigParser.parse(
                        config(
                                """
                {"endpoint": "https://myreg.azurecr.io", "pullLogs": {"workspaceId": "%s",
                 "excludeIdentities": ["defender-scanner"]}}"""
                                        .formatted(WORKSPACE),
                                "{\"keepPulledWithin\": \"P30D\", \"overrides\": [{\"repositories\": [\"ci/**\"], "
                                        + "\"keepPulledWithin\": \"P60D\"}]}"),
                        "test");

        PullLogsConfig logs = c.registries().get(0).pullLogs();
        assertEquals(WORKSPACE, logs.workspaceId());
        assertEquals(List.of("defender-scanner"), logs.excludeIdentities());
        assertEquals(URI.create("https://api.loganalytics.io"), logs.endpoint());
        assertEquals(Duration.ofDays(30), c.policy().base().keepPulledWithin());
        assertEquals(
                Duration.ofDays(60),
                c.policy().pullWindow().orElseThrow(),
                "the window covers every override");
    }

    @Test
    void keepingByPullsWithoutARegistrysPullLogsIsAnErrorThatNamesTheRegistry() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ConfigParser.parse(
                                        config(
                                                """
                {"endpoint": "https://a.azurecr.io", "pullLogs": {"workspaceId": "%s"}},
                {"endpoint": "https://b.azurecr.io"}"""
                                                        .formatted(WORKSPACE),
                                                "{\"keepPulledWithin\": \"P30D\"}"),
                                        "test"));

        assertTrue(
                e.getMessage()
                        .contains(
                                "registries[1].pullLogs: is required when policy.keepPulledWithin is set"),
                e.getMessage());
    }

    @Test
    void everyBadPullLogsSettingIsReportedWithItsPath() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ConfigParser.parse(
                                        config(
                                                """
                {"endpoint": "https://a.azurecr.io", "pullLogs": {"workspaceId": "my-workspace",
                 "excludeIdentities": ["ok", "bad\\nline"], "endpoint": "https://evil.example.com", "x": 1}}""",
                                                "{\"keepPulledWithin\": \"30 days\"}"),
                                        "test"));

        String m = e.getMessage();
        assertTrue(
                m.contains(
                        "registries[0].pullLogs.workspaceId: must be a workspace id (a GUID), got 'my-workspace'"),
                m);
        assertTrue(m.contains("registries[0].pullLogs.excludeIdentities[1]"), m);
        assertTrue(m.contains("registries[0].pullLogs.endpoint: must be https:// on one of"), m);
        assertTrue(m.contains("registries[0].pullLogs.x"), m);
        assertTrue(m.contains("policy.keepPulledWithin: not an ISO-8601 duration"), m);
    }
}
