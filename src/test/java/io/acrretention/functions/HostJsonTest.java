package io.acrretention.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.json.Json;
import io.acrretention.service.RunService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

/** host.json and local.settings.sample.json agree with what the code assumes of them. */
class HostJsonTest {
    static JsonNode read(String file) throws Exception {
        return Json.MAPPER.readTree(Files.readString(Path.of(file)));
    }

    @Test
    void theQueueWorkerStopsTakingWorkWellBeforeTheFunctionTimesOut() throws Exception {
        String[] hms = read("host.json").get("functionTimeout").asText().split(":");
        Duration timeout =
                Duration.ofHours(Long.parseLong(hms[0]))
                        .plusMinutes(Long.parseLong(hms[1]))
                        .plusSeconds(Long.parseLong(hms[2]));
        assertTrue(
                RunService.TIME_BUDGET.plusMinutes(1).compareTo(timeout) <= 0,
                "time budget " + RunService.TIME_BUDGET + " leaves too little of " + timeout);
    }

    @Test
    void theWorkerKnowsTheHostsDequeueLimitAndTheExtensionBundleIsVersion4() throws Exception {
        JsonNode host = read("host.json");
        assertEquals(
                ApplyRetentionQueue.MAX_DEQUEUE_COUNT,
                host.path("extensions").path("queues").path("maxDequeueCount").asInt());
        assertEquals("2.0", host.get("version").asText());
        assertEquals("[4.*, 5.0.0)", host.path("extensionBundle").path("version").asText());
    }

    @Test
    void theSampleSettingsHoldNoSecretAndADryRunConfiguration() throws Exception {
        JsonNode values = read("local.settings.sample.json").get("Values");
        for (Iterator<String> it = values.fieldNames(); it.hasNext(); ) {
            String value = values.get(it.next()).asText();
            assertTrue(
                    !value.contains("AccountKey=") && !value.contains("SharedAccessSignature"),
                    value);
        }
        assertEquals("java", values.get("FUNCTIONS_WORKER_RUNTIME").asText());
        JsonNode config = Json.MAPPER.readTree(values.get("RETENTION_CONFIG").asText());
        assertEquals("dry-run", config.path("policy").path("mode").asText());
        io.acrretention.config.ConfigParser.parse(
                values.get("RETENTION_CONFIG").asText(), "local.settings.sample.json");
    }
}
