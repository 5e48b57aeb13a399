package io.acrretention.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.acrretention.input.BadInputException;
import io.acrretention.json.Json;
import io.acrretention.retention.BranchRule;
import io.acrretention.retention.Glob;
import io.acrretention.retention.Mode;
import io.acrretention.retention.RepositoryPolicy;
import io.acrretention.retention.RetentionPolicy;
import io.acrretention.retention.TagScheme;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the {@code policy} object of the configuration into a validated {@link RetentionPolicy}.
 */
public final class PolicyParser {
    static final Set<String> POLICY_KEYS =
            Set.of(
                    "mode",
                    "keepTags",
                    "keepUsed",
                    "keepRecent",
                    "tagScheme",
                    "keepRecentPerBranch",
                    "keepYoungerThan",
                    "untagged",
                    "repositories",
                    "minUsedImages",
                    "maxDeletesPerRun",
                    "maxInventoryAge",
                    "maxUsedImagesDrop",
                    "keepPulledWithin",
                    "overrides",
                    "quarantine");
    // Run-wide settings: they govern a whole run, so a per-repository override of them would mean
    // nothing.
    // ("repositories" inside an override names the globs it applies to, not the run's
    // include/exclude.)
    private static final Set<String> RUN_WIDE =
            Set.of("minUsedImages", "maxDeletesPerRun", "maxUsedImagesDrop", "overrides");

    private PolicyParser() {}

    /** Parses a policy document on its own (path {@code policy}); used by tests and tools. */
    public static RetentionPolicy parse(String json) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException(
                    null, List.of("policy: not valid JSON: " + e.getOriginalMessage()));
        }
        Problems problems = new Problems();
        RetentionPolicy policy = parse(node, "policy", problems);
        problems.throwIfAny(null);
        return policy;
    }

    static RetentionPolicy parse(JsonNode node, String path, Problems problems) {
        if (node == null || node.isNull()) {
            return RetentionPolicy.defaults();
        }
        if (!problems.isObject(node, path)) {
            return RetentionPolicy.defaults();
        }
        ObjectNode obj = (ObjectNode) node;
        problems.rejectUnknownKeys(obj, path, POLICY_KEYS);
        RetentionPolicy base = settings(obj, path, RetentionPolicy.defaults(), problems);
        return base.withOverrides(
                overrides(obj.get("overrides"), path + ".overrides", base, problems));
    }

    private static List<RetentionPolicy.Override> overrides(
            JsonNode list, String path, RetentionPolicy base, Problems problems) {
        List<RetentionPolicy.Override> overrides = new ArrayList<>();
        if (list == null || list.isNull()) {
            return overrides;
        }
        if (!list.isArray()) {
            problems.add(path, "must be an array of objects, got " + Problems.describe(list));
            return overrides;
        }
        for (int i = 0; i < list.size(); i++) {
            RetentionPolicy.Override o =
                    override(list.get(i), path + "[" + i + "]", base, problems);
            if (o != null) {
                overrides.add(o);
            }
        }
        return overrides;
    }

    private static RetentionPolicy.Override override(
            JsonNode node, String path, RetentionPolicy base, Problems problems) {
        if (!problems.isObject(node, path)) {
            return null;
        }
        ObjectNode obj = (ObjectNode) node;
        for (String key : RUN_WIDE) {
            if (obj.has(key)) {
                problems.add(
                        path + "." + key, "is run-wide and cannot be overridden per repository");
            }
        }
        Set<String> known = new java.util.HashSet<>(POLICY_KEYS);
        known.removeAll(RUN_WIDE);
        problems.rejectUnknownKeys(obj, path, known);
        List<Glob> globs = new ArrayList<>();
        JsonNode repos = obj.get("repositories");
        if (repos == null || !repos.isArray() || repos.isEmpty()) {
            problems.add(
                    path + ".repositories",
                    "must be a non-empty array of globs, got " + Problems.describe(repos));
        } else {
            globs = globs(obj, "repositories", path, problems);
        }
        ObjectNode settings = obj.deepCopy();
        settings.remove("repositories");
        // Run-wide keys were refused above; reading them anyway reports a bad value of theirs too.
        return new RetentionPolicy.Override(
                globs, settings(settings, path, base, problems).base(), obj.has("mode"));
    }

    /**
     * Reads every setting present in {@code obj}, one step per key; absent ones come from {@code
     * base}. The steps keep the order in which problems have always been reported, so the per-
     * repository rules and the run-wide settings interleave. The result has no overrides.
     */
    private static RetentionPolicy settings(
            ObjectNode obj, String path, RetentionPolicy base, Problems problems) {
        RepositoryPolicy rules = base.base();
        RepositoryPolicy.Builder read =
                rules.toBuilder()
                        .mode(mode(obj, path, rules.mode(), problems))
                        .keepTags(keepTags(obj, path, rules.keepTags(), problems));
        requireKeepUsed(obj, path, problems);
        read.keepRecent(problems.nonNegativeInt(obj, "keepRecent", path, rules.keepRecent()))
                .tagScheme(tagScheme(obj, path, rules.tagScheme(), problems))
                .keepRecentPerBranch(
                        obj.has("keepRecentPerBranch")
                                ? branchRules(
                                        obj.get("keepRecentPerBranch"),
                                        path + ".keepRecentPerBranch",
                                        problems)
                                : rules.keepRecentPerBranch())
                .keepYoungerThan(
                        problems.duration(obj, "keepYoungerThan", path, rules.keepYoungerThan()))
                .untagged(untagged(obj, path, rules.untagged(), problems));
        ObjectNode selection = selection(obj, path, problems);
        List<Glob> include = selectionGlobs(selection, "include", path, base.include(), problems);
        List<Glob> exclude = selectionGlobs(selection, "exclude", path, base.exclude(), problems);
        int minUsed = problems.nonNegativeInt(obj, "minUsedImages", path, base.minUsedImages());
        int maxDeletes =
                problems.nonNegativeInt(obj, "maxDeletesPerRun", path, base.maxDeletesPerRun());
        read.maxInventoryAge(
                        problems.duration(obj, "maxInventoryAge", path, rules.maxInventoryAge()))
                .keepPulledWithin(
                        problems.duration(obj, "keepPulledWithin", path, rules.keepPulledWithin()));
        double maxDrop = maxUsedImagesDrop(obj, path, base.maxUsedImagesDrop(), problems);
        read.quarantineGrace(
                obj.has("quarantine")
                        ? quarantineGrace(
                                obj.get("quarantine"),
                                path + ".quarantine",
                                rules.quarantineGrace(),
                                problems)
                        : rules.quarantineGrace());
        return new RetentionPolicy(
                read.build(), List.of(), include, exclude, minUsed, maxDeletes, maxDrop);
    }

    private static Mode mode(ObjectNode obj, String path, Mode fallback, Problems problems) {
        String text = problems.string(obj, "mode", path, null);
        if (text == null) {
            return fallback;
        }
        try {
            return Mode.fromJson(text);
        } catch (BadInputException e) {
            problems.add(path + ".mode", "must be 'dry-run' or 'delete', got '" + text + "'");
            return fallback;
        }
    }

    private static List<Pattern> keepTags(
            ObjectNode obj, String path, List<Pattern> fallback, Problems problems) {
        if (!obj.has("keepTags")) {
            return fallback;
        }
        List<String> texts = problems.strings(obj, "keepTags", path, List.of());
        List<Pattern> parsed = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            Pattern p = problems.regex(texts.get(i), path + ".keepTags[" + i + "]");
            if (p != null) {
                parsed.add(p);
            }
        }
        return parsed;
    }

    /** Accepted only as true; the planner keeps images in use whatever the configuration says. */
    private static void requireKeepUsed(ObjectNode obj, String path, Problems problems) {
        if (!problems.bool(obj, "keepUsed", path, true)) {
            // Turning this off would let the tool delete images that clusters run: refuse loudly.
            problems.add(path + ".keepUsed", "must be true: images in use are never deleted");
        }
    }

    private static TagScheme tagScheme(
            ObjectNode obj, String path, TagScheme fallback, Problems problems) {
        String text = problems.string(obj, "tagScheme", path, null);
        if (text == null) {
            return fallback;
        }
        try {
            return TagScheme.of(text);
        } catch (PatternSyntaxException e) {
            problems.add(
                    path + ".tagScheme", "invalid regex '" + text + "': " + e.getDescription());
        } catch (BadInputException e) {
            problems.add(path + ".tagScheme", "'" + text + "' " + e.getMessage());
        }
        return fallback;
    }

    private static RepositoryPolicy.Untagged untagged(
            ObjectNode obj, String path, RepositoryPolicy.Untagged fallback, Problems problems) {
        String text = problems.string(obj, "untagged", path, null);
        if (text == null) {
            return fallback;
        }
        return switch (text) {
            case "keep" -> RepositoryPolicy.Untagged.KEEP;
            case "delete" -> RepositoryPolicy.Untagged.DELETE;
            default -> {
                problems.add(path + ".untagged", "must be 'keep' or 'delete', got '" + text + "'");
                yield fallback;
            }
        };
    }

    /** The {@code repositories} object ({@code include}, {@code exclude}); null when absent. */
    private static ObjectNode selection(ObjectNode obj, String path, Problems problems) {
        JsonNode repos = obj.get("repositories");
        if (repos == null || !problems.isObject(repos, path + ".repositories")) {
            return null;
        }
        problems.rejectUnknownKeys(repos, path + ".repositories", Set.of("include", "exclude"));
        return (ObjectNode) repos;
    }

    private static List<Glob> selectionGlobs(
            ObjectNode selection, String key, String path, List<Glob> fallback, Problems problems) {
        return selection != null && selection.has(key)
                ? globs(selection, key, path + ".repositories", problems)
                : fallback;
    }

    private static double maxUsedImagesDrop(
            ObjectNode obj, String path, double fallback, Problems problems) {
        JsonNode drop = obj.get("maxUsedImagesDrop");
        if (drop == null || drop.isNull()) {
            return fallback;
        }
        if (!drop.isNumber() || drop.asDouble() < 0 || drop.asDouble() > 1) {
            problems.add(
                    path + ".maxUsedImagesDrop",
                    "must be a fraction from 0 to 1 (0.5: half the used "
                            + "images gone), got "
                            + Problems.describe(drop));
            return fallback;
        }
        return drop.asDouble();
    }

    /**
     * {@code {"grace": "P14D"}} turns quarantine on; {@code false} turns it off (for an override of
     * a base that has it). Null means off. A zero grace is refused: it would delete on the next
     * run, before anyone noticed.
     */
    private static Duration quarantineGrace(
            JsonNode node, String path, Duration fallback, Problems problems) {
        if (node == null || node.isNull() || (node.isBoolean() && !node.asBoolean())) {
            return null;
        }
        if (!node.isObject()) {
            problems.add(
                    path,
                    "must be an object like {\"grace\": \"P14D\"}, or false, got "
                            + Problems.describe(node));
            return fallback;
        }
        ObjectNode obj = (ObjectNode) node;
        problems.rejectUnknownKeys(obj, path, Set.of("grace"));
        if (!obj.hasNonNull("grace")) {
            problems.add(path + ".grace", "is required (an ISO-8601 duration such as P14D)");
            return fallback;
        }
        Duration grace = problems.duration(obj, "grace", path, null);
        if (grace != null && grace.isZero()) {
            problems.add(
                    path + ".grace",
                    "must be longer than zero, got '" + obj.get("grace").asText() + "'");
            return fallback;
        }
        return grace == null ? fallback : grace;
    }

    private static List<BranchRule> branchRules(JsonNode node, String path, Problems problems) {
        List<BranchRule> rules = new ArrayList<>();
        if (!node.isArray()) {
            problems.add(
                    path,
                    "must be an array of {branch, keep, each}, got " + Problems.describe(node));
            return rules;
        }
        for (int i = 0; i < node.size(); i++) {
            String p = path + "[" + i + "]";
            if (!problems.isObject(node.get(i), p)) {
                continue;
            }
            ObjectNode rule = (ObjectNode) node.get(i);
            problems.rejectUnknownKeys(rule, p, Set.of("branch", "keep", "each"));
            String branch = problems.string(rule, "branch", p, null);
            Integer keep = problems.nonNegativeInt(rule, "keep", p, null);
            boolean each = problems.bool(rule, "each", p, false);
            if (branch == null) {
                problems.add(
                        p + ".branch", "is required (a regex the whole branch name must match)");
            }
            if (keep == null && !rule.has("keep")) {
                problems.add(p + ".keep", "is required (how many tags to keep)");
            }
            Pattern regex = branch == null ? null : problems.regex(branch, p + ".branch");
            if (regex != null && keep != null) {
                rules.add(new BranchRule(regex, keep, each));
            }
        }
        return rules;
    }

    private static List<Glob> globs(ObjectNode node, String key, String path, Problems problems) {
        List<Glob> globs = new ArrayList<>();
        List<String> texts = problems.strings(node, key, path, List.of());
        for (int i = 0; i < texts.size(); i++) {
            try {
                globs.add(Glob.of(texts.get(i)));
            } catch (BadInputException e) {
                problems.add(path + "." + key + "[" + i + "]", e.getMessage());
            }
        }
        return globs.stream().filter(Objects::nonNull).toList();
    }
}
