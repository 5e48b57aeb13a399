package io.acrretention.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The app logs and counts through the OpenTelemetry API only (io.acrretention.telemetry); in Azure
 * the Application Insights Java agent implements it, so both templates attach the agent and turn
 * off its own copy of every log line (which would arrive without runId, registry and repository).
 */
class TelemetrySettingsIT {
    private static InfraTemplates t;

    @BeforeAll
    static void read() {
        t = new InfraTemplates();
    }

    @Test
    void bothTemplatesAttachTheAgentAndLeaveTheLogLinesToTheApp() {
        Map<String, String> bicep = BicepFile.properties(t.main.var("baseSettings"));
        assertEquals("'true'", bicep.get("APPLICATIONINSIGHTS_ENABLE_AGENT"));
        assertEquals("'OFF'", bicep.get("APPLICATIONINSIGHTS_INSTRUMENTATION_LOGGING_LEVEL"));
        assertEquals(
                "true",
                t.tf.local("base_settings").get("APPLICATIONINSIGHTS_ENABLE_AGENT").asText());
        assertEquals(
                "OFF",
                t.tf.local("base_settings")
                        .get("APPLICATIONINSIGHTS_INSTRUMENTATION_LOGGING_LEVEL")
                        .asText());
    }
}
