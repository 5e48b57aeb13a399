package io.acrretention.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.image.ImageReference;
import io.acrretention.image.InvalidImageReferenceException;
import io.acrretention.input.BadInputException;
import io.acrretention.json.Json;
import io.acrretention.usage.Baseline;
import io.acrretention.usage.ClusterStatus;
import io.acrretention.usage.UsedImage;
import io.acrretention.usage.UsedImages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The used-image manifest as a document: {@code inventory/{runId}.json} and a copy at {@code
 * inventory/latest.json}. Reading validates it: a manifest that deletions rely on must be exactly
 * what the collector wrote, or it is rejected with the path and every problem found.
 */
public final class InventoryStore {
    public static final String LATEST = "inventory/latest.json";
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final List<String> REQUIRED =
            List.of("runId", "collectedAt", "complete", "clusters", "images", "ignored");
    private static final int MAX_PROBLEMS_SHOWN = 10;

    private final DocumentStore store;

    public InventoryStore(DocumentStore store) {
        this.store = store;
    }

    public static String pathOf(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches() || runId.equals("latest")) {
            throw new BadInputException(
                    "run id '" + runId + "' must be letters, digits, '.', '_', '-'");
        }
        return "inventory/" + runId + ".json";
    }

    /**
     * Writes the run's manifest, and points latest at it when it is complete; returns the run's
     * path.
     */
    public String write(UsedImages inventory) {
        return write(inventory, inventory.complete());
    }

    /**
     * Writes the run's manifest; points latest at it only when {@code asBaseline} and it is
     * complete: latest is what later runs compare their used images against, so an incomplete or
     * implausible run never becomes it.
     */
    public String write(UsedImages inventory, boolean asBaseline) {
        String path = pathOf(inventory.runId());
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(inventory);
        } catch (JsonProcessingException e) {
            throw new StoreException(
                    "serialise inventory " + inventory.runId() + " failed: " + e.getMessage(), e);
        }
        store.put(path, json);
        if (asBaseline && inventory.complete()) {
            store.put(LATEST, json);
        }
        return path;
    }

    /**
     * {@code inventory} with the baseline of the last complete run (latest), or unchanged when
     * there is none. A latest that is not valid is an error that names it: the drop guard must not
     * be skipped silently.
     */
    public UsedImages withBaseline(UsedImages inventory) {
        return find(LATEST)
                .filter(UsedImages::complete)
                .filter(last -> !last.runId().equals(inventory.runId()))
                .map(
                        last ->
                                inventory.withBaseline(
                                        new Baseline(last.runId(), last.images().size())))
                .orElse(inventory);
    }

    /**
     * Reads and validates the manifest at {@code path}; throws {@link StoreException} naming what
     * is wrong.
     */
    public UsedImages read(String path) {
        return find(path)
                .orElseThrow(
                        () -> new StoreException("inventory document " + path + " does not exist"));
    }

    /** Like {@link #read}, but empty when there is no document at {@code path}. */
    public Optional<UsedImages> find(String path) {
        Optional<byte[]> found = store.get(path);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parse(path, found.get()));
    }

    private static UsedImages parse(String path, byte[] bytes) {
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
        check(path, inventory, problems);
        if (!problems.isEmpty()) {
            throw invalid(path, problems);
        }
        return inventory;
    }

    private static void check(String path, UsedImages inventory, List<String> problems) {
        String expected = path.substring(path.lastIndexOf('/') + 1).replaceFirst("\\.json$", "");
        if (!path.equals(LATEST) && !expected.equals(inventory.runId())) {
            problems.add(
                    "runId '"
                            + inventory.runId()
                            + "' does not match the document name '"
                            + expected
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
