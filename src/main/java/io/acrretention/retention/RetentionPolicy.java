package io.acrretention.retention;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The validated retention policy for one repository (docs/configuration.md, "policy"). Build it
 * with {@link io.acrretention.config.PolicyParser}; the defaults reproduce the original cleanup
 * script. Images in use are always kept: the configuration's {@code keepUsed} may only be true, so
 * the policy does not carry it. To vary a policy, start from one with {@link #toBuilder()} and set
 * only what differs.
 *
 * @param quarantineGrace with quarantine on, how long a planned delete stays untagged and recorded
 *     before it is deleted (docs/quarantine.md); null when off
 */
public record RetentionPolicy(
        Mode mode,
        List<Pattern> keepTags,
        int keepRecent,
        TagScheme tagScheme,
        List<BranchRule> keepRecentPerBranch,
        Duration keepYoungerThan,
        Untagged untagged,
        List<Glob> include,
        List<Glob> exclude,
        int minUsedImages,
        int maxDeletesPerRun,
        Duration maxInventoryAge,
        Duration keepPulledWithin,
        List<Override> overrides,
        double maxUsedImagesDrop,
        Duration quarantineGrace) {
    /**
     * The default of {@code maxUsedImagesDrop}: half the used images gone since the last complete
     * run.
     */
    public static final double DEFAULT_MAX_USED_IMAGES_DROP = 0.5;

    public enum Untagged {
        KEEP,
        DELETE
    }

    /**
     * Settings for repositories matching any of {@code repositories}, already merged onto the base.
     *
     * @param setsMode whether the override names its own {@code mode}: then no run request or
     *     {@code --mode} can lift it, only narrow it to dry run
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

    public static RetentionPolicy defaults() {
        return new RetentionPolicy(
                Mode.DRY_RUN,
                List.of(Pattern.compile("latest")),
                10,
                TagScheme.of(TagScheme.DEFAULT),
                List.of(new BranchRule(Pattern.compile("main|master"), 10, false)),
                Duration.ofDays(90),
                Untagged.KEEP,
                List.of(Glob.of("**")),
                List.of(),
                1,
                1000,
                Duration.ofHours(6),
                null,
                List.of(),
                DEFAULT_MAX_USED_IMAGES_DROP,
                null);
    }

    /**
     * Whether a planned delete first quarantines (untag and record, delete after {@link
     * #quarantineGrace()}). Null grace means off.
     */
    public boolean quarantines() {
        return quarantineGrace != null;
    }

    /** Whether the include/exclude globs select this repository. */
    public boolean selects(String repository) {
        return include.stream().anyMatch(g -> g.matches(repository))
                && exclude.stream().noneMatch(g -> g.matches(repository));
    }

    /**
     * The policy that governs one repository: the last override whose globs match it, else this
     * one.
     */
    public RetentionPolicy forRepository(String repository) {
        for (int i = overrides.size() - 1; i >= 0; i--) {
            if (overrides.get(i).appliesTo(repository)) {
                return overrides.get(i).policy();
            }
        }
        return this;
    }

    /**
     * How far back a run must read pull logs: the longest {@code keepPulledWithin} of the base and
     * its overrides; empty when no repository keeps by pulls.
     */
    public java.util.Optional<Duration> pullWindow() {
        return java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(this), overrides.stream().map(Override::policy))
                .map(RetentionPolicy::keepPulledWithin)
                .filter(java.util.Objects::nonNull)
                .max(Duration::compareTo);
    }

    /**
     * This policy with another base mode ({@code --mode delete}): overrides that inherit the base
     * mode follow it; an override that names its own mode keeps it.
     */
    public RetentionPolicy withBaseMode(Mode newMode) {
        return toBuilder()
                .mode(newMode)
                .overrides(
                        overrides.stream()
                                .map(
                                        o ->
                                                o.setsMode()
                                                        ? o
                                                        : new Override(
                                                                o.repositories(),
                                                                o.policy().withBaseMode(newMode),
                                                                false))
                                .toList())
                .build();
    }

    /** A builder holding every setting of this policy, to change some and keep the rest. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Sets some settings of a policy it started from; {@link #build()} validates like the
     * constructor.
     */
    public static final class Builder {
        private Mode mode;
        private List<Pattern> keepTags;
        private int keepRecent;
        private TagScheme tagScheme;
        private List<BranchRule> keepRecentPerBranch;
        private Duration keepYoungerThan;
        private Untagged untagged;
        private List<Glob> include;
        private List<Glob> exclude;
        private int minUsedImages;
        private int maxDeletesPerRun;
        private Duration maxInventoryAge;
        private Duration keepPulledWithin;
        private List<Override> overrides;
        private double maxUsedImagesDrop;
        private Duration quarantineGrace;

        private Builder(RetentionPolicy p) {
            mode = p.mode;
            keepTags = p.keepTags;
            keepRecent = p.keepRecent;
            tagScheme = p.tagScheme;
            keepRecentPerBranch = p.keepRecentPerBranch;
            keepYoungerThan = p.keepYoungerThan;
            untagged = p.untagged;
            include = p.include;
            exclude = p.exclude;
            minUsedImages = p.minUsedImages;
            maxDeletesPerRun = p.maxDeletesPerRun;
            maxInventoryAge = p.maxInventoryAge;
            keepPulledWithin = p.keepPulledWithin;
            overrides = p.overrides;
            maxUsedImagesDrop = p.maxUsedImagesDrop;
            quarantineGrace = p.quarantineGrace;
        }

        public Builder mode(Mode value) {
            mode = value;
            return this;
        }

        public Builder keepTags(List<Pattern> value) {
            keepTags = value;
            return this;
        }

        public Builder keepRecent(int value) {
            keepRecent = value;
            return this;
        }

        public Builder tagScheme(TagScheme value) {
            tagScheme = value;
            return this;
        }

        public Builder keepRecentPerBranch(List<BranchRule> value) {
            keepRecentPerBranch = value;
            return this;
        }

        public Builder keepYoungerThan(Duration value) {
            keepYoungerThan = value;
            return this;
        }

        public Builder untagged(Untagged value) {
            untagged = value;
            return this;
        }

        public Builder include(List<Glob> value) {
            include = value;
            return this;
        }

        public Builder exclude(List<Glob> value) {
            exclude = value;
            return this;
        }

        public Builder minUsedImages(int value) {
            minUsedImages = value;
            return this;
        }

        public Builder maxDeletesPerRun(int value) {
            maxDeletesPerRun = value;
            return this;
        }

        public Builder maxInventoryAge(Duration value) {
            maxInventoryAge = value;
            return this;
        }

        /** Null: no {@code keepPulledWithin}. */
        public Builder keepPulledWithin(Duration value) {
            keepPulledWithin = value;
            return this;
        }

        public Builder overrides(List<Override> value) {
            overrides = value;
            return this;
        }

        public Builder maxUsedImagesDrop(double value) {
            maxUsedImagesDrop = value;
            return this;
        }

        /** Null: quarantine off. */
        public Builder quarantineGrace(Duration value) {
            quarantineGrace = value;
            return this;
        }

        public RetentionPolicy build() {
            return new RetentionPolicy(
                    mode,
                    keepTags,
                    keepRecent,
                    tagScheme,
                    keepRecentPerBranch,
                    keepYoungerThan,
                    untagged,
                    include,
                    exclude,
                    minUsedImages,
                    maxDeletesPerRun,
                    maxInventoryAge,
                    keepPulledWithin,
                    overrides,
                    maxUsedImagesDrop,
                    quarantineGrace);
        }
    }
}
