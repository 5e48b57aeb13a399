package io.acrretention.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.image.ImageReference;
import io.acrretention.image.InvalidImageReferenceException;
import io.acrretention.json.Json;
import io.acrretention.store.StoreException;
import io.acrretention.usage.ClusterStatus;
import io.acrretention.usage.UsedImage;
import io.acrretention.usage.UsedImages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The format of the used-image manifest ({@link RunDocuments#inventoryPath}): compact JSON, and a
 * reader that validates it. A manifest that deletions rely on must be exactly what the collector
 * wrote, or it is rejected with the path and every problem found.
 */
final class InventoryDocument {
    private static final List<String> REQUIRED =
            List.of("runId", "collectedAt", "complete", "clusters", "images", "ignored");
    private static final int MAX_PROBLEMS_SHOWN = 10;

    private InventoryDocument() {}

    static byte[] toJson(UsedImages inventory) {
        try {
            return Json.MAPPER.writeValueAsBytes(inventory);
        } catch (JsonProcessingException e) {
            throw new StoreException(
                    "serialise inventory " + inventory.runId() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Reads and validates the manifest at {@code path}; throws {@link StoreException} naming what
     * is wrong.
     *
     * @param runId the run the document's name gives, or null for the latest copy, which names none
     */
    static UsedImages parse(String path, String runId, byte[] bytes) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw invalid(path, List.of("not JSON: " + originalMessage(e)));
        }
        List<String> problems = new ArrayList<>();
        if (tree == null || !tree.isObject()) {
            throw invalid(path, List.of("not a JSON object"));
        }
        for (String field : REQUIRED) {
            if (!tree.hasNonNull(field)) {
                problems.add("required field '" + field + "' is missing");
            }
        }
        if (!problems.isEmpty()) {
            throw invalid(path, problems);
        }
        UsedImages inventory;
        try {
            inventory = Json.MAPPER.treeToValue(tree, UsedImages.class);
        } catch (IOException | IllegalArgumentException e) {
            throw invalid(path, List.of(originalMessage(e)));
        }
        check(runId, inventory, problems);
        if (!problems.isEmpty()) {
            throw invalid(path, problems);
        }
        return inventory;
    }

    private static void check(String runId, UsedImages inventory, List<String> problems) {
        if (runId != null && !runId.equals(inventory.runId())) {
            problems.add(
                    "runId '"
                            + inventory.runId()
                            + "' does not match the document name '"
                            + runId
                            + "'");
        }
        if (inventory.complete() && inventory.clusters().isEmpty()) {
            problems.add("complete is true but no cluster was collected");
        }
        Set<String> clusters = new HashSet<>();
        for (ClusterStatus c : inventory.clusters()) {
            clusters.add(c.name());
            if (!c.isOk() && !ClusterStatus.FAILED.equals(c.status())) {
                problems.add(
                        "cluster '"
                                + c.name()
                                + "' has status '"
                                + c.status()
                                + "' (ok or failed)");
            }
            if (!c.isOk() && (c.error() == null || c.error().isBlank())) {
                problems.add("failed cluster '" + c.name() + "' has no error");
            }
        }
        if (inventory.baseline() != null && inventory.baseline().images() < 0) {
            problems.add(
                    "baseline.images is "
                            + inventory.baseline().images()
                            + ", a count cannot be negative");
        }
        for (int i = 0; i < inventory.images().size(); i++) {
            checkImage("images[" + i + "]", inventory.images().get(i), clusters, problems);
        }
    }

    private static void checkImage(
            String where, UsedImage image, Set<String> clusters, List<String> problems) {
        try {
            ImageReference.parse(image.reference());
        } catch (InvalidImageReferenceException e) {
            problems.add(where + ".reference: " + e.getMessage());
        }
        if (image.digest() != null && !ImageReference.isDigest(image.digest())) {
            problems.add(where + ".digest '" + image.digest() + "' is not a digest");
        }
        if (image.clusters().isEmpty()) {
            problems.add(where + " names no cluster");
        }
        for (String c : image.clusters()) {
            if (!clusters.contains(c)) {
                problems.add(where + " names cluster '" + c + "', which is not in clusters");
            }
        }
    }

    private static StoreException invalid(String path, List<String> problems) {
        String shown =
                String.join(
                        "; ", problems.subList(0, Math.min(problems.size(), MAX_PROBLEMS_SHOWN)));
        if (problems.size() > MAX_PROBLEMS_SHOWN) {
            shown += "; and " + (problems.size() - MAX_PROBLEMS_SHOWN) + " more";
        }
        return new StoreException("inventory document " + path + " is invalid: " + shown);
    }

    private static String originalMessage(Exception e) {
        if (e instanceof JsonMappingException m) {
            String at = m.getPathReference();
            Throwable cause = m.getCause();
            String why =
                    cause instanceof IllegalArgumentException
                            ? cause.getMessage()
                            : m.getOriginalMessage();
            return why + (at == null || at.isEmpty() ? "" : " (at " + at + ")");
        }
        if (e instanceof JsonProcessingException p) {
            return p.getOriginalMessage();
        }
        return e.getMessage();
    }
}
