package io.acrretention.quarantine;

import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.image.ImageReference;
import io.acrretention.input.BadInputException;
import io.acrretention.input.RunIds;
import io.acrretention.json.Json;
import io.acrretention.retention.Glob;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * What to restore: every manifest a run quarantined, or the given digests; optionally only in
 * repositories a glob matches. Dry run unless {@code apply}.
 *
 * @param runId the run whose quarantine to undo, or null
 * @param digests the manifests to restore, or empty
 * @param repository a glob over repository names, or null for every repository
 */
public record RestoreRequest(String runId, List<String> digests, String repository, boolean apply) {
    /** Bodies of {@code POST /api/restore} larger than this are refused unread. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final int MAX_DIGESTS = 1000;

    /**
     * A restore request that cannot be carried out as given; the message names the field and the
     * bad value.
     */
    public static final class InvalidRestoreException extends BadInputException {
        public InvalidRestoreException(String message) {
            super(message);
        }
    }

    public RestoreRequest {
        digests = digests == null ? List.of() : List.copyOf(digests);
        List<String> problems = new ArrayList<>();
        if ((runId == null) == digests.isEmpty()) {
            problems.add("give exactly one of a run id and a list of digests");
        }
        if (runId != null && !RunIds.isValid(runId)) {
            problems.add("run id '" + clip(runId) + "' is not a run id like 20261123T000000Z-7f3a");
        }
        if (digests.size() > MAX_DIGESTS) {
            problems.add("at most " + MAX_DIGESTS + " digests at once, got " + digests.size());
        }
        for (int i = 0; i < digests.size() && i < MAX_DIGESTS; i++) {
            if (!ImageReference.isDigest(digests.get(i))) {
                problems.add(
                        "digest ["
                                + i
                                + "] '"
                                + clip(digests.get(i))
                                + "' is not a digest like sha256:<64 hex>");
            }
        }
        if (repository != null) {
            try {
                Glob.of(repository);
            } catch (BadInputException e) {
                problems.add("repository glob '" + clip(repository) + "': " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRestoreException(String.join("; ", problems));
        }
    }

    public boolean selects(QuarantineRecord r) {
        boolean chosen = runId != null ? runId.equals(r.runId()) : digests.contains(r.digest());
        return chosen && (repository == null || Glob.of(repository).matches(r.repository()));
    }

    /**
     * {@code {"runId": "...", "digests": ["sha256:..."], "repository": "app/**", "mode":
     * "dry-run|apply"}}; every field is checked and every problem named at once.
     */
    public static RestoreRequest parse(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidRestoreException(
                    "body: required, e.g. {\"runId\": \"20261123T000000Z-7f3a\"}");
        }
        if (body.length() > MAX_BODY_BYTES) {
            throw new InvalidRestoreException("body: larger than " + MAX_BODY_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidRestoreException("body: not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRestoreException("body: must be a JSON object");
        }
        List<String> problems = new ArrayList<>();
        Set<String> known = Set.of("runId", "digests", "repository", "mode");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                problems.add(
                        "body."
                                + clip(key)
                                + ": unknown key (known: digests, mode, repository, runId)");
            }
        }
        String runId = text(root, "runId", problems);
        String repository = text(root, "repository", problems);
        String mode = text(root, "mode", problems);
        if (mode != null && !mode.equals("dry-run") && !mode.equals("apply")) {
            problems.add("body.mode: must be 'dry-run' or 'apply', got '" + clip(mode) + "'");
        }
        List<String> digests = new ArrayList<>();
        JsonNode list = root.get("digests");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                problems.add("body.digests: must be an array of strings");
            } else {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i).isTextual()) {
                        digests.add(list.get(i).asText());
                    } else {
                        problems.add("body.digests[" + i + "]: must be a string");
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRestoreException(String.join("; ", problems));
        }
        return new RestoreRequest(runId, digests, repository, "apply".equals(mode));
    }

    private static String text(JsonNode root, String key, List<String> problems) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            problems.add("body." + key + ": must be a string");
            return null;
        }
        return v.asText();
    }

    private static String clip(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
