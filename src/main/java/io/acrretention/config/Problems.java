package io.acrretention.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Collects validation problems so a user sees all of them at once, each with its JSON path. */
public final class Problems {
    private final List<String> problems = new ArrayList<>();

    public void add(String path, String message) {
        problems.add(path + ": " + message);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Every problem found, each "path: what is wrong", in the order found. */
    public List<String> all() {
        return List.copyOf(problems);
    }

    public void throwIfAny(String source) {
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
    }

    public void rejectUnknownKeys(JsonNode node, String path, Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                add(
                        path + "." + key,
                        "unknown key (known: "
                                + String.join(", ", new java.util.TreeSet<>(known))
                                + ")");
            }
        }
    }

    public boolean isObject(JsonNode node, String path) {
        if (node != null && node.isObject()) {
            return true;
        }
        add(path, "must be an object, got " + describe(node));
        return false;
    }

    public String string(ObjectNode node, String key, String path, String fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            add(path + "." + key, "must be a string, got " + describe(v));
            return fallback;
        }
        return v.asText();
    }

    public Integer nonNegativeInt(ObjectNode node, String key, String path, Integer fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            add(path + "." + key, "must be a whole number, got " + describe(v));
            return fallback;
        }
        if (v.asInt() < 0) {
            add(path + "." + key, "must not be negative, got " + v.asInt());
            return fallback;
        }
        return v.asInt();
    }

    public Boolean bool(ObjectNode node, String key, String path, Boolean fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            add(path + "." + key, "must be true or false, got " + describe(v));
            return fallback;
        }
        return v.asBoolean();
    }

    public Duration duration(ObjectNode node, String key, String path, Duration fallback) {
        String text = string(node, key, path, null);
        if (text == null) {
            return fallback;
        }
        try {
            Duration d = Duration.parse(text);
            if (d.isNegative()) {
                add(path + "." + key, "must not be negative, got '" + text + "'");
                return fallback;
            }
            return d;
        } catch (DateTimeParseException e) {
            add(
                    path + "." + key,
                    "not an ISO-8601 duration: '"
                            + text
                            + "' (use days or less, e.g. P90D, PT6H, PT60S; months and years are ambiguous)");
            return fallback;
        }
    }

    Pattern regex(String text, String path) {
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            add(
                    path,
                    "invalid regex '"
                            + text
                            + "': "
                            + e.getDescription()
                            + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
            return null;
        }
    }

    public List<String> strings(ObjectNode node, String key, String path, List<String> fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isArray()) {
            add(path + "." + key, "must be an array of strings, got " + describe(v));
            return fallback;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                add(
                        path + "." + key + "[" + i + "]",
                        "must be a string, got " + describe(v.get(i)));
            } else {
                out.add(v.get(i).asText());
            }
        }
        return out;
    }

    public static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        String text = v.toString();
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                + " "
                + (text.length() > 80 ? text.substring(0, 80) + "..." : text);
    }
}
