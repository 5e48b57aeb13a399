package io.acrretention.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import io.acrretention.input.BadInputException;
import io.acrretention.store.BlobDocumentStore;
import io.acrretention.store.DocumentStore;
import io.acrretention.store.LocalDocumentStore;
import io.acrretention.store.StoreException;
import io.acrretention.testing.Azurite;
import io.acrretention.usage.Baseline;
import io.acrretention.usage.ClusterStatus;
import io.acrretention.usage.IgnoredReference;
import io.acrretention.usage.UsedImage;
import io.acrretention.usage.UsedImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The inventory as a run document: its path, its format, its validation and the baseline. */
class InventoryDocumentsIT {
    static final String DIGEST = "sha256:" + "ab".repeat(32);
    static final UsedImages INVENTORY =
            new UsedImages(
                    "20261123T000000Z-7f3a",
                    Instant.parse("2026-11-23T00:00:04Z"),
                    true,
                    List.of(ClusterStatus.ok("prod", 2, 930), ClusterStatus.ok("stage", 1, 120)),
                    List.of(
                            new UsedImage(
                                    "mactemp.azurecr.io/app/api:2.1.24-3e158f8-main",
                                    DIGEST,
                                    List.of("prod", "stage")),
                            new UsedImage("mactemp.azurecr.io/app/web:1.0", null, List.of("prod"))),
                    List.of(
                            new IgnoredReference(
                                    "#{Octopus.Action.Package[app].PackageVersion}",
                                    "unrendered template placeholder")));

    @TempDir Path folder;

    static BlobDocumentStore blobStore() {
        BlobContainerClient container =
                Azurite.get()
                        .blobServiceClientBuilder()
                        .buildClient()
                        .getBlobContainerClient("inventory-test-" + UUID.randomUUID());
        return new BlobDocumentStore(container);
    }

    @Test
    void anInventoryWrittenToBlobStorageReadsBackEqualFromTheRunAndFromLatest() {
        DocumentStore blobs = blobStore();
        RunDocuments store = new RunDocuments(blobs);

        String path = store.saveInventory(INVENTORY);

        assertEquals("inventory/20261123T000000Z-7f3a.json", path);
        assertEquals(INVENTORY, store.readInventory(INVENTORY.runId()));
        assertEquals(INVENTORY, store.latestInventory().orElseThrow());
        assertEquals(
                List.of("inventory/20261123T000000Z-7f3a.json", "inventory/latest.json"),
                blobs.list("inventory/"));
        assertEquals(Optional.empty(), blobs.get("inventory/nothing.json"));
    }

    @Test
    void aCorruptedBlobIsRejectedWithThePathAndTheProblem() {
        DocumentStore blobs = blobStore();
        RunDocuments store = new RunDocuments(blobs);
        String path = store.saveInventory(INVENTORY);
        String json = new String(blobs.get(path).orElseThrow(), StandardCharsets.UTF_8);
        blobs.put(path, json.substring(0, json.length() / 2).getBytes(StandardCharsets.UTF_8));

        StoreException e =
                assertThrows(StoreException.class, () -> store.readInventory(INVENTORY.runId()));

        assertTrue(
                e.getMessage()
                        .startsWith(
                                "inventory document inventory/20261123T000000Z-7f3a.json is invalid: "
                                        + "not JSON"),
                e.getMessage());
    }

    @Test
    void anInventoryWrittenToAFolderReadsBackEqual() throws Exception {
        LocalDocumentStore local = new LocalDocumentStore(folder);
        RunDocuments store = new RunDocuments(local);

        String path = store.saveInventory(INVENTORY);

        assertEquals(INVENTORY, store.readInventory(INVENTORY.runId()));
        assertTrue(Files.isRegularFile(folder.resolve("inventory/20261123T000000Z-7f3a.json")));
        assertEquals(
                List.of("inventory/20261123T000000Z-7f3a.json", "inventory/latest.json"),
                local.list("inventory"));
        assertEquals(Optional.empty(), local.get("inventory/nothing.json"));
    }

    @Test
    void onlyACompleteTrustedInventoryBecomesLatestTheBaselineOfLaterRuns() {
        RunDocuments store = new RunDocuments(new LocalDocumentStore(folder));
        store.saveInventory(INVENTORY);
        UsedImages incomplete =
                new UsedImages(
                        "20261123T000000Z-0002",
                        INVENTORY.collectedAt(),
                        false,
                        List.of(ClusterStatus.failed("prod", 5, "401")),
                        List.of(),
                        List.of());
        UsedImages dropped =
                new UsedImages(
                        "20261123T000000Z-0003",
                        INVENTORY.collectedAt(),
                        true,
                        INVENTORY.clusters(),
                        INVENTORY.images().subList(0, 1),
                        List.of());

        store.saveInventory(incomplete);
        store.saveInventory(store.withBaseline(dropped), false);

        assertEquals(INVENTORY, store.latestInventory().orElseThrow());
        assertEquals(
                new Baseline(INVENTORY.runId(), 2),
                store.readInventory("20261123T000000Z-0003").baseline());
        assertEquals(
                null, store.withBaseline(INVENTORY).baseline(), "a run is not its own baseline");
    }

    @Test
    void aMissingDocumentIsAnErrorNamingThePath() {
        StoreException e =
                assertThrows(
                        StoreException.class,
                        () ->
                                new RunDocuments(new LocalDocumentStore(folder))
                                        .readInventory("20261123T000000Z-0009"));

        assertEquals(
                "inventory document inventory/20261123T000000Z-0009.json does not exist",
                e.getMessage());
    }

    @Test
    void aRunIdThatIsNotOneNeverBecomesAPath() {
        RunDocuments store = new RunDocuments(new LocalDocumentStore(folder));

        for (String bad : List.of("../etc", "latest", "run-1", "20261123T000000Z-7f3a/..", "")) {
            BadInputException e =
                    assertThrows(BadInputException.class, () -> store.inventory(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "' is not a run id"), e.getMessage());
        }
    }

    @Test
    void aPathThatClimbsOutOfTheStoreIsRefused() {
        LocalDocumentStore local = new LocalDocumentStore(folder);

        assertThrows(
                IllegalArgumentException.class, () -> local.put("../outside.json", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> local.get("/etc/passwd"));
    }

    static Stream<Arguments> badDocuments() {
        String good =
                "{\"runId\":\"20261123T000000Z-0001\",\"collectedAt\":\"2026-11-23T00:00:04Z\",\"complete\":true,"
                        + "\"clusters\":[{\"name\":\"prod\",\"status\":\"ok\",\"images\":1,\"durationMs\":5,\"error\":null}],"
                        + "\"images\":[{\"reference\":\"mactemp.azurecr.io/app/api:1.0\",\"digest\":null,\"clusters\":[\"prod\"]}],"
                        + "\"ignored\":[]}";
        return Stream.of(
                Arguments.of(
                        good.replace("\"20261123T000000Z-0001\"", "\"20261123T000000Z-0002\""),
                        "runId '20261123T000000Z-0002' does not match the document name '20261123T000000Z-0001'"),
                Arguments.of(
                        good.replace(",\"ignored\":[]", ""), "required field 'ignored' is missing"),
                Arguments.of(
                        good.replace("mactemp.azurecr.io/app/api:1.0", "#{Octopus.Release}"),
                        "images[0].reference: invalid image reference '#{Octopus.Release}': unrendered template placeholder"),
                Arguments.of(
                        good.replace("\"digest\":null", "\"digest\":\"sha256:12\""),
                        "images[0].digest 'sha256:12' is not a digest"),
                Arguments.of(
                        good.replace(
                                "\"status\":\"ok\",\"images\":1,\"durationMs\":5,\"error\":null",
                                "\"status\":\"failed\",\"images\":0,\"durationMs\":5,\"error\":\"401\""),
                        "an inventory with a failed cluster cannot be complete"),
                Arguments.of(
                        good.replace("\"clusters\":[\"prod\"]", "\"clusters\":[\"qa\"]"),
                        "images[0] names cluster 'qa', which is not in clusters"),
                Arguments.of(
                        good.replace("\"complete\":true", "\"complete\":true,\"extra\":1"),
                        "extra"),
                Arguments.of("[]", "not a JSON object"));
    }

    @ParameterizedTest
    @MethodSource("badDocuments")
    void aDocumentThatIsNotAValidInventoryIsRejectedWithTheProblem(String json, String problem) {
        LocalDocumentStore local = new LocalDocumentStore(folder);
        local.put("inventory/20261123T000000Z-0001.json", json.getBytes(StandardCharsets.UTF_8));

        StoreException e =
                assertThrows(
                        StoreException.class,
                        () -> new RunDocuments(local).readInventory("20261123T000000Z-0001"));

        assertTrue(
                e.getMessage()
                        .startsWith(
                                "inventory document inventory/20261123T000000Z-0001.json is invalid: "),
                e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }
}
