package io.acrretention.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.config.RetentionConfig;
import io.acrretention.json.Json;
import io.acrretention.retention.Glob;
import io.acrretention.retention.Mode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a manually started run may cover: some registries, some repositories, or a forced dry run. It can only
 * narrow what the configuration allows: it never adds a registry, and it never turns dry run into delete.
 *
 * <p>HTTP body: {@code {"registries": ["mactemp.azurecr.io"], "repositories": ["app/**"], "dryRun": true}}, all optional.
 */
public record RunScope(List<String> registries, List<Glob> repositories, boolean dryRun) {
    public static final RunScope EVERYTHING = new RunScope(List.of(), List.of(), false);
    private static final Set<String> KEYS = Set.of("registries", "repositories", "dryRun", "mode");

    public boolean includesRegistry(String loginServer) {
        return registries.isEmpty() || registries.contains(loginServer);
    }

    public boolean includesRepository(String repository) {
        return repositories.isEmpty() || repositories.stream().anyMatch(g -> g.matches(repository));
    }

    public Mode narrow(Mode configured) {
        return dryRun ? Mode.DRY_RUN : configured;
    }

    /** Parses a request body against the configuration; an empty body means everything configured. */
    public static RunScope parse(String body, RetentionConfig config) {
        if (body == null || body.isBlank()) {
            return EVERYTHING;
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body is not JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("request body must be a JSON object");
        }
        List<String> problems = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                problems.add("unknown key '" + key + "' (known: dryRun, mode, registries, repositories)");
            }
        }
        List<String> registries = new ArrayList<>();
        for (String r : strings(node, "registries", problems)) {
            String loginServer = r.toLowerCase(Locale.ROOT);
            if (config.registry(loginServer).isEmpty()) {
                problems.add("registries: '" + r + "' is not a configured registry");
            } else {
                registries.add(loginServer);
            }
        }
        List<Glob> repositories = new ArrayList<>();
        for (String g : strings(node, "repositories", problems)) {
            try {
                repositories.add(Glob.of(g));
            } catch (IllegalArgumentException e) {
                problems.add("repositories: " + e.getMessage());
            }
        }
        boolean dryRun = false;
        JsonNode d = node.get("dryRun");
        if (d != null && !d.isBoolean()) {
            problems.add("dryRun: must be true or false");
        } else if (d != null) {
            dryRun = d.asBoolean();
        }
        JsonNode mode = node.get("mode");
        if (mode != null) {
            if ("dry-run".equals(mode.asText())) {
                dryRun = true;
            } else {
                // Deleting must be configured where it is reviewed, not asked for in a request.
                problems.add("mode: a request can only ask for 'dry-run'; delete mode comes from the configuration");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid run request: " + String.join("; ", problems));
        }
        return new RunScope(registries, repositories, dryRun);
    }

    private static List<String> strings(JsonNode node, String key, List<String> problems) {
        JsonNode v = node.get(key);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            problems.add(key + ": must be an array of strings");
            return out;
        }
        v.forEach(e -> {
            if (e.isTextual() && !e.asText().isBlank()) {
                out.add(e.asText());
            } else {
                problems.add(key + ": every entry must be a non-empty string, got " + e);
            }
        });
        return out;
    }
}
