package io.acrretention.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.acrretention.json.Json;
import io.acrretention.quarantine.QuarantineRecord;
import io.acrretention.quarantine.QuarantineStore;
import io.acrretention.quarantine.Restorer;
import io.acrretention.registry.snapshot.SnapshotRegistry;
import io.acrretention.retention.Reason;
import io.acrretention.store.BlobDocumentStore;
import io.acrretention.store.DocumentStore;
import io.acrretention.testing.Azurite;
import io.acrretention.testing.functions.HostStandIn;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/restore} called as the host calls it, over records in Azurite and the demo
 * registry.
 */
class RestoreHttpIT {
    static final String DIGEST = "sha256:" + "d".repeat(64);
    DocumentStore store;
    RestoreHttp handler;

    @BeforeEach
    void setUp() throws Exception {
        store = new BlobDocumentStore(Azurite.get().newContainer("restore"));
        SnapshotRegistry registry;
        try (InputStream in =
                getClass().getClassLoader().getResourceAsStream("demo/registry-snapshot.json")) {
            registry = SnapshotRegistry.load(in, "demo");
        }
        new QuarantineStore(store)
                .put(
                        new QuarantineRecord(
                                QuarantineRecord.VERSION,
                                registry.loginServer(),
                                "app/api",
                                DIGEST,
                                List.of("1.0"),
                                "20261123T000000Z-7f3a",
                                Instant.parse("2026-11-23T00:00:00Z"),
                                42,
                                List.of(Reason.EXPIRED)));
        Restorer restorer =
                new Restorer(Map.of(registry.loginServer(), registry), store, Clock.systemUTC());
        handler = new RestoreHttp(() -> restorer);
    }

    private HttpResponseMessage post(String body) {
        return handler.run(
                HostStandIn.request(HttpMethod.POST, "https://app.example.com/api/restore", body),
                HostStandIn.context("RestoreHttp"));
    }

    private static JsonNode json(HttpResponseMessage r) throws Exception {
        return Json.MAPPER.readTree(r.getBody().toString());
    }

    @Test
    void aRestoreByRunIsADryRunUnlessTheBodySaysApply() throws Exception {
        HttpResponseMessage r = post("{\"runId\": \"20261123T000000Z-7f3a\"}");
        assertEquals(200, r.getStatusCode());
        JsonNode body = json(r);
        assertEquals(1, body.path("totals").path("planned").asLong());
        assertEquals("PLANNED", body.path("entries").get(0).path("result").asText());
        assertTrue(
                new QuarantineStore(store).get("demo.azurecr.io", "app/api", DIGEST).isPresent(),
                "a dry run removes no record");
    }

    @Test
    void aBadBodyIsRefusedWithEveryProblemNamed() throws Exception {
        HttpResponseMessage r =
                post(
                        "{\"runId\": \"yesterday\", \"digests\": [\"sha256:x\"], \"mode\": \"force\","
                                + " \"extra\": 1}");
        assertEquals(400, r.getStatusCode());
        String error = json(r).path("error").asText();
        for (String expected :
                List.of(
                        "body.extra: unknown key",
                        "body.mode: must be 'dry-run' or 'apply', got 'force'")) {
            assertTrue(error.contains(expected), error);
        }
        HttpResponseMessage both = post("{\"runId\": \"yesterday\", \"digests\": [\"sha256:x\"]}");
        String e2 = json(both).path("error").asText();
        assertTrue(
                e2.contains("exactly one of a run id and a list of digests")
                        && e2.contains("run id 'yesterday'")
                        && e2.contains("digest [0] 'sha256:x'"),
                e2);
        assertEquals(400, post("").getStatusCode());
        assertEquals(400, post("[1]").getStatusCode());
    }

    @Test
    void anOversizedBodyIsRefusedUnparsed() {
        String big = "{\"digests\": [\"" + "a".repeat(70_000) + "\"]}";
        assertEquals(413, post(big).getStatusCode());
    }
}
