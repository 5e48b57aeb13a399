package io.acrretention.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UsedImagesTest {
    private static final String DESIGN_EXAMPLE =
            """
            {"runId": "20261123T000000Z-7f3a", "collectedAt": "2026-11-23T00:00:04Z", "complete": true,
             "clusters": [{"name": "prod", "status": "ok", "images": 812, "durationMs": 930, "error": null}],
             "images": [{"reference": "mactemp.azurecr.io/app/api:2.1.24-3e158f8-main",
                         "digest": "sha256:4b8d1f7e2f1c8f3c0f1e0e9c5b2a1d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c", "clusters": ["prod"]}],
             "ignored": [{"reference": "#{Octopus.Action.Package[app].PackageVersion}", "reason": "unparseable"}]}""";

    @Test
    void theDesignDocumentsManifestReadsAndWritesBackUnchanged() throws Exception {
        UsedImages u = Json.MAPPER.readValue(DESIGN_EXAMPLE, UsedImages.class);
        assertEquals("20261123T000000Z-7f3a", u.runId());
        assertEquals(Instant.parse("2026-11-23T00:00:04Z"), u.collectedAt());
        JsonNode expected = Json.MAPPER.readTree(DESIGN_EXAMPLE);
        assertEquals(expected, Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(u)));
    }

    @Test
    void usageIsFoundByTagAndByTheDigestThatRuns() throws Exception {
        UsedImages u = Json.MAPPER.readValue(DESIGN_EXAMPLE, UsedImages.class);
        RepositoryUsage usage = u.usageOf("MacTemp.azurecr.io", "app/api");
        assertEquals(Set.of("2.1.24-3e158f8-main"), usage.tags());
        assertTrue(
                usage.usesDigest(
                        "sha256:4b8d1f7e2f1c8f3c0f1e0e9c5b2a1d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c"));
        assertEquals(RepositoryUsage.NONE, u.usageOf("mactemp.azurecr.io", "app/web"));
    }

    @Test
    void anInventoryWithAFailedClusterCannotClaimToBeComplete() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new UsedImages(
                                "r",
                                Instant.EPOCH,
                                true,
                                List.of(ClusterStatus.failed("prod", 1, "500")),
                                List.of(),
                                List.of()));
    }

    @Test
    void aDocumentMissingItsCompletenessIsRejected() {
        assertThrows(
                Exception.class,
                () ->
                        Json.MAPPER.readValue(
                                "{\"runId\": \"r\", \"collectedAt\": \"2026-11-23T00:00:04Z\"}",
                                UsedImages.class));
    }
}
