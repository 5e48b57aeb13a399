package io.acrretention.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.acrretention.config.Problems;
import io.acrretention.config.RetentionConfig;
import io.acrretention.input.BadInputException;
import io.acrretention.json.Json;
import io.acrretention.retention.Glob;
import io.acrretention.retention.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a run covers: the registries and repositories it selects, and whether it is forced to dry
 * run. It can only narrow what the configuration allows: it never adds a registry, and it never
 * turns dry run into delete.
 *
 * <p>The body of {@code POST /api/runs} and the {@code scope} of a {@link RunRequest}: {@code
 * {"registries": ["mactemp.azurecr.io"], "repositories": ["app/**"], "dryRun": true}}, all
 * optional.
 */
public record RunSelection(List<String> registries, List<Glob> repositories, boolean dryRun) {
    public static final RunSelection EVERYTHING = new RunSelection(List.of(), List.of(), false);

    /** Everything configured, and nothing changed in any registry. */
    public static final RunSelection DRY_RUN = new RunSelection(List.of(), List.of(), true);

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

    /** The selection as a request body that {@link #parse} reads back to the same selection. */
    public ObjectNode toNode() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        ArrayNode registryNames = node.putArray("registries");
        registries.forEach(registryNames::add);
        ArrayNode globs = node.putArray("repositories");
        repositories.forEach(g -> globs.add(g.toString()));
        return node.put("dryRun", dryRun);
    }

    /**
     * Parses a request body against the configuration; an empty body means everything configured.
     */
    public static RunSelection parse(String body, RetentionConfig config) {
        if (body == null || body.isBlank()) {
            return EVERYTHING;
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadInputException("request body is not JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw new BadInputException("request body must be a JSON object");
        }
        ObjectNode request = (ObjectNode) node;
        Problems problems = new Problems();
        problems.rejectUnknownKeys(request, "$", KEYS);
        List<String> registries = new ArrayList<>();
        for (String r : problems.strings(request, "registries", "$", List.of())) {
            // Any spelling of a configured registry (case, :443, an alias) selects it by its login
            // server.
            config.registry(r)
                    .ifPresentOrElse(
                            rc -> registries.add(rc.loginServer()),
                            () ->
                                    problems.add(
                                            "$.registries",
                                            "'" + r + "' is not a configured registry"));
        }
        List<Glob> repositories = new ArrayList<>();
        for (String g : problems.strings(request, "repositories", "$", List.of())) {
            try {
                repositories.add(Glob.of(g));
            } catch (BadInputException e) {
                problems.add("$.repositories", e.getMessage());
            }
        }
        boolean dryRun = problems.bool(request, "dryRun", "$", false);
        JsonNode mode = request.get("mode");
        if (mode != null) {
            if ("dry-run".equals(mode.asText())) {
                dryRun = true;
            } else {
                // Deleting must be configured where it is reviewed, not asked for in a request.
                problems.add(
                        "$.mode",
                        "a request can only ask for 'dry-run'; delete mode comes from the configuration");
            }
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(
                    "invalid run request: " + String.join("; ", problems.all()));
        }
        return new RunSelection(registries, repositories, dryRun);
    }
}
