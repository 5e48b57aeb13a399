package io.acrretention.retention;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The validated retention policy for one repository (docs/configuration.md, "policy"). Build it with
 * {@link io.acrretention.config.PolicyParser}; the defaults reproduce the original cleanup script.
 *
 * @param quarantineGrace with quarantine on, how long a planned delete stays untagged and recorded before it is
 *                        deleted (docs/quarantine.md); null when off
 */
public record RetentionPolicy(Mode mode, List<Pattern> keepTags, boolean keepUsed, int keepRecent,
                              TagScheme tagScheme, List<BranchRule> keepRecentPerBranch,
                              Duration keepYoungerThan, Untagged untagged, List<Glob> include,
                              List<Glob> exclude, int minUsedImages, int maxDeletesPerRun,
                              Duration maxInventoryAge, Duration keepPulledWithin, List<Override> overrides,
                              double maxUsedImagesDrop, Duration quarantineGrace) {
    /** The default of {@code maxUsedImagesDrop}: half the used images gone since the last complete run. */
    public static final double DEFAULT_MAX_USED_IMAGES_DROP = 0.5;

    public enum Untagged { KEEP, DELETE }

    /**
     * Settings for repositories matching any of {@code repositories}, already merged onto the base.
     *
     * @param setsMode whether the override names its own {@code mode}: then no run request or {@code --mode}
     *                 can lift it, only narrow it to dry run
     */
    public record Override(List<Glob> repositories, RetentionPolicy policy, boolean setsMode) {
        public boolean appliesTo(String repository) {
            return repositories.stream().anyMatch(g -> g.matches(repository));
        }
    }

    public RetentionPolicy {
        keepTags = List.copyOf(keepTags);
        keepRecentPerBranch = List.copyOf(keepRecentPerBranch);
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        overrides = List.copyOf(overrides);
    }

    /** A policy without {@code keepPulledWithin} or quarantine, and with the default {@code maxUsedImagesDrop}. */
    public RetentionPolicy(Mode mode, List<Pattern> keepTags, boolean keepUsed, int keepRecent, TagScheme tagScheme,
                           List<BranchRule> keepRecentPerBranch, Duration keepYoungerThan, Untagged untagged,
                           List<Glob> include, List<Glob> exclude, int minUsedImages, int maxDeletesPerRun,
                           Duration maxInventoryAge, List<Override> overrides) {
        this(mode, keepTags, keepUsed, keepRecent, tagScheme, keepRecentPerBranch, keepYoungerThan, untagged, include,
                exclude, minUsedImages, maxDeletesPerRun, maxInventoryAge, null, overrides,
                DEFAULT_MAX_USED_IMAGES_DROP, null);
    }

    public static RetentionPolicy defaults() {
        return new RetentionPolicy(Mode.DRY_RUN, List.of(Pattern.compile("latest")), true, 10,
                TagScheme.of(TagScheme.DEFAULT), List.of(new BranchRule(Pattern.compile("main|master"), 10, false)),
                Duration.ofDays(90), Untagged.KEEP, List.of(Glob.of("**")), List.of(), 1, 1000,
                Duration.ofHours(6), null, List.of(), DEFAULT_MAX_USED_IMAGES_DROP, null);
    }

    /**
     * Whether a planned delete first quarantines (untag and record, delete after {@link #quarantineGrace()}).
     * Null grace means off.
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

    /**
     * How far back a run must read pull logs: the longest {@code keepPulledWithin} of the base and its overrides;
     * empty when no repository keeps by pulls.
     */
    public java.util.Optional<Duration> pullWindow() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(this),
                        overrides.stream().map(Override::policy))
                .map(RetentionPolicy::keepPulledWithin).filter(java.util.Objects::nonNull)
                .max(Duration::compareTo);
    }

    /**
     * This policy with another base mode ({@code --mode delete}): overrides that inherit the base mode follow it;
     * an override that names its own mode keeps it.
     */
    public RetentionPolicy withBaseMode(Mode newMode) {
        return new RetentionPolicy(newMode, keepTags, keepUsed, keepRecent, tagScheme, keepRecentPerBranch,
                keepYoungerThan, untagged, include, exclude, minUsedImages, maxDeletesPerRun, maxInventoryAge,
                keepPulledWithin, overrides.stream().map(o -> o.setsMode() ? o
                        : new Override(o.repositories(), o.policy().withBaseMode(newMode), false)).toList(),
                maxUsedImagesDrop, quarantineGrace);
    }
}
