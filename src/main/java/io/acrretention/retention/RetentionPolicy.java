package io.acrretention.retention;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The validated retention policy for one repository (DESIGN.md, "Retention policy"). Build it with
 * {@link io.acrretention.config.PolicyParser}; the defaults reproduce the original cleanup script.
 */
public record RetentionPolicy(Mode mode, List<Pattern> keepTags, boolean keepUsed, int keepRecent,
                              TagScheme tagScheme, List<BranchRule> keepRecentPerBranch,
                              Duration keepYoungerThan, Untagged untagged, List<Glob> include,
                              List<Glob> exclude, int minUsedImages, int maxDeletesPerRun,
                              Duration maxInventoryAge, List<Override> overrides, Duration quarantineGrace) {

    public enum Untagged { KEEP, DELETE }

    /** Settings for repositories matching any of {@code repositories}, already merged onto the base. */
    public record Override(List<Glob> repositories, RetentionPolicy policy) {
        public boolean appliesTo(String repository) {
            return repositories.stream().anyMatch(g -> g.matches(repository));
        }
    }

    /** A policy without quarantine: a planned delete deletes. */
    public RetentionPolicy(Mode mode, List<Pattern> keepTags, boolean keepUsed, int keepRecent, TagScheme tagScheme,
                           List<BranchRule> keepRecentPerBranch, Duration keepYoungerThan, Untagged untagged,
                           List<Glob> include, List<Glob> exclude, int minUsedImages, int maxDeletesPerRun,
                           Duration maxInventoryAge, List<Override> overrides) {
        this(mode, keepTags, keepUsed, keepRecent, tagScheme, keepRecentPerBranch, keepYoungerThan, untagged, include,
                exclude, minUsedImages, maxDeletesPerRun, maxInventoryAge, overrides, null);
    }

    public RetentionPolicy {
        keepTags = List.copyOf(keepTags);
        keepRecentPerBranch = List.copyOf(keepRecentPerBranch);
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        overrides = List.copyOf(overrides);
    }

    public static RetentionPolicy defaults() {
        return new RetentionPolicy(Mode.DRY_RUN, List.of(Pattern.compile("latest")), true, 10,
                TagScheme.of(TagScheme.DEFAULT), List.of(new BranchRule(Pattern.compile("main|master"), 10, false)),
                Duration.ofDays(90), Untagged.KEEP, List.of(Glob.of("**")), List.of(), 1, 1000,
                Duration.ofHours(6), List.of());
    }

    /**
     * Whether a planned delete first quarantines (untag and record, delete after {@link #quarantineGrace()}):
     * DESIGN.md, "Quarantine and restore". Null grace means off.
     */
    public boolean quarantines() {
        return quarantineGrace != null;
    }

    /** Whether the include/exclude globs select this repository. */
    public boolean selects(String repository) {
        return include.stream().anyMatch(g -> g.matches(repository))
                && exclude.stream().noneMatch(g -> g.matches(repository));
    }

    /** The policy that governs one repository: the last override whose globs match it, else this one. */
    public RetentionPolicy forRepository(String repository) {
        for (int i = overrides.size() - 1; i >= 0; i--) {
            if (overrides.get(i).appliesTo(repository)) {
                return overrides.get(i).policy();
            }
        }
        return this;
    }

    public RetentionPolicy withMode(Mode newMode) {
        return new RetentionPolicy(newMode, keepTags, keepUsed, keepRecent, tagScheme, keepRecentPerBranch,
                keepYoungerThan, untagged, include, exclude, minUsedImages, maxDeletesPerRun, maxInventoryAge,
                overrides.stream().map(o -> new Override(o.repositories(), o.policy().withMode(newMode))).toList(),
                quarantineGrace);
    }
}
