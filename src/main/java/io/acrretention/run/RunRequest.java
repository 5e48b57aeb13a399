package io.acrretention.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.acrretention.config.RetentionConfig;
import io.acrretention.input.BadInputException;
import io.acrretention.input.RunIds;
import io.acrretention.json.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A run asked for by hand ({@code POST /api/runs}): the message on the queue {@code retention-runs}
 * that the starting function reads, and the document {@code runs/{runId}/request.json} while it
 * waits. {@code {"version": 1, "runId": "...", "requestedAt": "...", "scope": {...}}}, where {@code
 * scope} is a {@link RunSelection}.
 */
public record RunRequest(String runId, Instant requestedAt, RunSelection selection) {
    public static final int VERSION = 1;
    public static final String QUEUE = "retention-runs";
    private static final Set<String> KEYS = Set.of("version", "runId", "requestedAt", "scope");

    /** Thrown for a request that can never start a run: retrying it cannot help. */
    public static final class InvalidRunRequestException extends BadInputException {
        private final String runId;

        public InvalidRunRequestException(String message) {
            this(message, null);
        }

        InvalidRunRequestException(String message, String runId) {
            super(message);
            this.runId = runId;
        }

        /**
         * The run the request was for, when it names a valid run id: its caller polls that run's
         * status and must learn that it will never start.
         */
        public Optional<String> runId() {
            return Optional.ofNullable(runId);
        }
    }

    public ObjectNode toNode() {
        ObjectNode node =
                Json.MAPPER
                        .createObjectNode()
                        .put("version", VERSION)
                        .put("runId", runId)
                        .put("requestedAt", requestedAt.toString());
        node.set("scope", selection.toNode());
        return node;
    }

    public String toJson() {
        return toNode().toString();
    }

    /**
     * Parses and validates a queued request against the configuration as it is now (a registry the
     * request names may have left it since); every problem is named, and nothing is guessed.
     */
    public static RunRequest parse(String text, RetentionConfig config) {
        List<String> problems = new ArrayList<>();
        JsonNode node =
                QueueMessages.object(
                        text,
                        "run request",
                        KEYS,
                        VERSION,
                        problems,
                        InvalidRunRequestException::new);
        String runId = node.path("runId").asText("");
        if (!RunIds.isValid(runId)) {
            problems.add("'runId' must be a run id (e.g. 20261123T000000Z-7f3a)");
        }
        Instant requestedAt = null;
        try {
            requestedAt = Instant.parse(node.path("requestedAt").asText(""));
        } catch (DateTimeParseException e) {
            problems.add(
                    "'requestedAt' must be an ISO-8601 instant, got " + node.get("requestedAt"));
        }
        RunSelection selection = null;
        JsonNode scope = node.get("scope");
        if (scope == null || !scope.isObject()) {
            problems.add("'scope' must be a JSON object");
        } else {
            try {
                selection = RunSelection.parse(scope.toString(), config);
            } catch (BadInputException e) {
                problems.add("'scope': " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRunRequestException(
                    "invalid run request "
                            + QueueMessages.excerpt(text)
                            + ": "
                            + String.join("; ", problems),
                    RunIds.isValid(runId) ? runId : null);
        }
        return new RunRequest(runId, requestedAt, selection);
    }
}
