package io.acrretention.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.json.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What every message this app puts on its queues shares ({@link RunRequest}, {@link
 * RepositoryMessage}): a JSON object of known keys with a {@code version}, read so that every
 * problem is named and a message that is not even an object is refused at once.
 */
final class QueueMessages {
    private QueueMessages() {}

    /**
     * The message's object; unknown keys and a missing or other version are added to {@code
     * problems}.
     *
     * @param what how errors name the message ("queue message", "run request")
     * @param invalid the exception for text that is not a JSON object
     */
    static JsonNode object(
            String text,
            String what,
            Set<String> keys,
            int version,
            List<String> problems,
            Function<String, ? extends RuntimeException> invalid) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text == null ? "" : text);
        } catch (JsonProcessingException e) {
            throw invalid.apply(
                    what + " is not JSON: " + e.getOriginalMessage() + " in " + excerpt(text));
        }
        if (node == null || !node.isObject()) {
            throw invalid.apply(what + " must be a JSON object, got " + excerpt(text));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                problems.add("unknown key '" + key + "'");
            }
        }
        JsonNode v = node.get("version");
        if (v == null || !v.isInt()) {
            problems.add("'version' must be a whole number");
        } else if (v.asInt() != version) {
            problems.add(
                    "unknown version " + v.asInt() + " (this app reads version " + version + ")");
        }
        return node;
    }

    /** The message as errors quote it: at most 300 characters. */
    static String excerpt(String text) {
        if (text == null) {
            return "(empty)";
        }
        return "'" + (text.length() > 300 ? text.substring(0, 300) + "..." : text) + "'";
    }
}
