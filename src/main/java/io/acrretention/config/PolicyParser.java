package io.acrretention.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.acrretention.input.BadInputException;
import io.acrretention.json.Json;
import io.acrretention.retention.BranchRule;
import io.acrretention.retention.Glob;
import io.acrretention.retention.Mode;
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
        List<RetentionPolicy.Override> overrides = new ArrayList<>();
        JsonNode list = obj.get("overrides");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                problems.add(
                        path + ".overrides",
                        "must be an array of objects, got " + Problems.describe(list));
            } else {
                for (int i = 0; i < list.size(); i++) {
                    RetentionPolicy.Override o =
                            override(list.get(i), path + ".overrides[" + i + "]", base, problems);
                    if (o != null) {
                        overrides.add(o);
                    }
                }
            }
        }
        return base.toBuilder().overrides(overrides).build();
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
        return new RetentionPolicy.Override(
                globs, settings(settings, path, base, problems), obj.has("mode"));
    }

    /** Reads every setting present in {@code obj}; absent ones come from {@code base}. */
    private static RetentionPolicy settings(
            ObjectNode obj, String path, RetentionPolicy base, Problems problems) {
        Mode mode = base.mode();
        String modeText = problems.string(obj, "mode", path, null);
        if (modeText != null) {
            try {
                mode = Mode.fromJson(modeText);
            } catch (BadInputException e) {
                problems.add(
                        path + ".mode", "must be 'dry-run' or 'delete', got '" + modeText + "'");
            }
        }
        List<Pattern> keepTags = base.keepTags();
        if (obj.has("keepTags")) {
            List<String> texts = problems.strings(obj, "keepTags", path, List.of());
            List<Pattern> parsed = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                Pattern p = problems.regex(texts.get(i), path + ".keepTags[" + i + "]");
                if (p != null) {
                    parsed.add(p);
                }
            }
            keepTags = parsed;
        }
        // Accepted only as true; the planner keeps images in use whatever the configuration says.
        if (!problems.bool(obj, "keepUsed", path, true)) {
            // Turning this off would let the tool delete images that clusters run: refuse loudly.
            problems.add(path + ".keepUsed", "must be true: images in use are never deleted");
        }
        int keepRecent = problems.nonNegativeInt(obj, "keepRecent", path, base.keepRecent());
        TagScheme scheme = base.tagScheme();
        String schemeText = problems.string(obj, "tagScheme", path, null);
        if (schemeText != null) {
            try {
                scheme = TagScheme.of(schemeText);
            } catch (PatternSyntaxException e) {
                problems.add(
                        path + ".tagScheme",
                        "invalid regex '" + schemeText + "': " + e.getDescription());
            } catch (BadInputException e) {
                problems.add(path + ".tagScheme", "'" + schemeText + "' " + e.getMessage());
            }
        }
        List<BranchRule> branchRules = base.keepRecentPerBranch();
        if (obj.has("keepRecentPerBranch")) {
            branchRules =
                    branchRules(
                            obj.get("keepRecentPerBranch"),
                            path + ".keepRecentPerBranch",
                            problems);
        }
        Duration young = problems.duration(obj, "keepYoungerThan", path, base.keepYoungerThan());
        RetentionPolicy.Untagged untagged = base.untagged();
        String untaggedText = problems.string(obj, "untagged", path, null);
        if (untaggedText != null) {
            switch (untaggedText) {
                case "keep" -> untagged = RetentionPolicy.Untagged.KEEP;
                case "delete" -> untagged = RetentionPolicy.Untagged.DELETE;
                default ->
                        problems.add(
                                path + ".untagged",
                                "must be 'keep' or 'delete', got '" + untaggedText + "'");
            }
        }
        List<Glob> include = base.include();
        List<Glob> exclude = base.exclude();
        JsonNode repos = obj.get("repositories");
        if (repos != null && problems.isObject(repos, path + ".repositories")) {
            ObjectNode r = (ObjectNode) repos;
            problems.rejectUnknownKeys(r, path + ".repositories", Set.of("include", "exclude"));
            if (r.has("include")) {
                include = globs(r, "include", path + ".repositories", problems);
            }
            if (r.has("exclude")) {
                exclude = globs(r, "exclude", path + ".repositories", problems);
            }
        }
        int minUsed = problems.nonNegativeInt(obj, "minUsedImages", path, base.minUsedImages());
        int maxDeletes =
                problems.nonNegativeInt(obj, "maxDeletesPerRun", path, base.maxDeletesPerRun());
        Duration maxAge = problems.duration(obj, "maxInventoryAge", path, base.maxInventoryAge());
        Duration pulledWithin =
                problems.duration(obj, "keepPulledWithin", path, base.keepPulledWithin());
        double maxDrop = base.maxUsedImagesDrop();
        JsonNode drop = obj.get("maxUsedImagesDrop");
        if (drop != null && !drop.isNull()) {
            if (!drop.isNumber() || drop.asDouble() < 0 || drop.asDouble() > 1) {
                problems.add(
                        path + ".maxUsedImagesDrop",
                        "must be a fraction from 0 to 1 (0.5: half the used "
                                + "images gone), got "
                                + Problems.describe(drop));
            } else {
                maxDrop = drop.asDouble();
            }
        }
        Duration grace =
                obj.has("quarantine")
                        ? quarantineGrace(
                                obj.get("quarantine"),
                                path + ".quarantine",
                                base.quarantineGrace(),
                                problems)
                        : base.quarantineGrace();
        return new RetentionPolicy(
                mode,
                keepTags,
                keepRecent,
                scheme,
                branchRules,
                young,
                untagged,
                include,
                exclude,
                minUsed,
                maxDeletes,
                maxAge,
                pulledWithin,
                List.of(),
                maxDrop,
                grace);
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
