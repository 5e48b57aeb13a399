package io.acrretention.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.image.ImageReference;
import io.acrretention.input.BadInputException;
import io.acrretention.json.Json;
import io.acrretention.retention.Mode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One repository to apply retention to: a message on the queue {@code retention-repositories}
 * (docs/architecture.md). {@code fromIndex} is 0 for the first message and the position to resume
 * from for a continuation; {@code issuedAt}, when the continuation was sent, is required with it:
 * the stored plan it resumes must be older.
 */
public record RepositoryMessage(
        int version,
        String runId,
        String registry,
        String repository,
        String inventory,
        Mode mode,
        int fromIndex,
        Instant issuedAt) {
    public static final int VERSION = 1;
    public static final String QUEUE = "retention-repositories";
    private static final Set<String> KEYS =
            Set.of(
                    "version",
                    "runId",
                    "registry",
                    "repository",
                    "inventory",
                    "mode",
                    "fromIndex",
                    "issuedAt");

    /** Thrown for a message that can never be processed: retrying it cannot help. */
    public static final class InvalidMessageException extends IllegalArgumentException {
        public InvalidMessageException(String message) {
            super(message);
        }
    }

    /** A first message: a continuation is made from it with {@link #continueFrom}. */
    public RepositoryMessage(
            int version,
            String runId,
            String registry,
            String repository,
            String inventory,
            Mode mode) {
        this(version, runId, registry, repository, inventory, mode, 0, null);
    }

    public RepositoryMessage continueFrom(int index, Instant now) {
        return new RepositoryMessage(
                version, runId, registry, repository, inventory, mode, index, now);
    }

    public String toJson() {
        var node =
                Json.MAPPER
                        .createObjectNode()
                        .put("version", version)
                        .put("runId", runId)
                        .put("registry", registry)
                        .put("repository", repository)
                        .put("inventory", inventory)
                        .put("mode", mode.json());
        if (fromIndex > 0) {
            node.put("fromIndex", fromIndex);
        }
        if (issuedAt != null) {
            node.put("issuedAt", issuedAt.toString());
        }
        return node.toString();
    }

    /** Parses and validates a queue message; every problem is named, and nothing is guessed. */
    public static RepositoryMessage parse(String text) {
        List<String> problems = new ArrayList<>();
        JsonNode node =
                QueueMessages.object(
                        text,
                        "queue message",
                        KEYS,
                        VERSION,
                        problems,
                        InvalidMessageException::new);
        String runId = text(node, "runId", problems);
        String registry = text(node, "registry", problems);
        String repository = text(node, "repository", problems);
        String inventory = text(node, "inventory", problems);
        // Before any call: these names go into registry URLs, blob paths and log lines.
        if (registry != null && !ImageReference.isRegistryName(registry)) {
            problems.add("'registry' is not a registry name (host[:port]): " + quoted(registry));
        }
        if (repository != null && !ImageReference.isRepositoryName(repository)) {
            problems.add(
                    "'repository' is not a repository name (lower-case path components such as team/app, "
                            + "at most 255 characters): "
                            + quoted(repository));
        }
        String modeText = text(node, "mode", problems);
        Mode mode = null;
        if (modeText != null) {
            try {
                mode = Mode.fromJson(modeText);
            } catch (BadInputException e) {
                problems.add("'mode' must be 'dry-run' or 'delete', got '" + modeText + "'");
            }
        }
        if (runId != null) {
            try {
                String expected = RunDocuments.inventoryPath(runId);
                if (inventory != null && !inventory.equals(expected)) {
                    problems.add(
                            "'inventory' must be "
                                    + expected
                                    + " for run "
                                    + runId
                                    + ", got '"
                                    + inventory
                                    + "'");
                }
            } catch (BadInputException e) {
                problems.add("'runId': " + e.getMessage());
            }
        }
        int fromIndex = 0;
        JsonNode f = node.get("fromIndex");
        if (f != null && (!f.isInt() || f.asInt() < 0)) {
            problems.add("'fromIndex' must be a whole number >= 0");
        } else if (f != null) {
            fromIndex = f.asInt();
        }
        Instant issuedAt = null;
        JsonNode at = node.get("issuedAt");
        if (at != null) {
            try {
                issuedAt = Instant.parse(at.asText());
            } catch (DateTimeParseException e) {
                problems.add("'issuedAt' must be an ISO-8601 instant, got " + at);
            }
        } else if (fromIndex > 0) {
            problems.add("a continuation ('fromIndex' " + fromIndex + ") needs 'issuedAt'");
        }
        if (!problems.isEmpty()) {
            throw new InvalidMessageException(
                    "invalid queue message "
                            + QueueMessages.excerpt(text)
                            + ": "
                            + String.join("; ", problems));
        }
        return new RepositoryMessage(
                VERSION, runId, registry, repository, inventory, mode, fromIndex, issuedAt);
    }

    private static String text(JsonNode node, String key, List<String> problems) {
        JsonNode v = node.get(key);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            problems.add("'" + key + "' must be a non-empty string");
            return null;
        }
        return v.asText();
    }

    private static String quoted(String name) {
        return "'" + (name.length() > 100 ? name.substring(0, 100) + "..." : name) + "'";
    }
}
