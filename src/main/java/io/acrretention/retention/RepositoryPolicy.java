package io.acrretention.retention;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules that govern one repository (docs/configuration.md, "policy"): what the planner keeps,
 * and the mode, staleness bound and quarantine its apply follows. The base policy and every
 * override are one each; {@link RetentionPolicy#forRepository(String)} picks the one that applies.
 * Images in use are always kept: the configuration's {@code keepUsed} may only be true, so the
 * policy does not carry it. To vary a policy, start from one with {@link #toBuilder()} and set only
 * what differs.
 *
 * @param quarantineGrace with quarantine on, how long a planned delete stays untagged and recorded
 *     before it is deleted (docs/quarantine.md); null when off
 */
public record RepositoryPolicy(
        Mode mode,
        List<Pattern> keepTags,
        int keepRecent,
        TagScheme tagScheme,
        List<BranchRule> keepRecentPerBranch,
        Duration keepYoungerThan,
        Untagged untagged,
        Duration maxInventoryAge,
        Duration keepPulledWithin,
        Duration quarantineGrace) {

    public enum Untagged {
        KEEP,
        DELETE
    }

    public RepositoryPolicy {
        keepTags = List.copyOf(keepTags);
        keepRecentPerBranch = List.copyOf(keepRecentPerBranch);
    }

    /** The original cleanup script's rules. */
    public static RepositoryPolicy defaults() {
        return new RepositoryPolicy(
                Mode.DRY_RUN,
                List.of(Pattern.compile("latest")),
                10,
                TagScheme.of(TagScheme.DEFAULT),
                List.of(new BranchRule(Pattern.compile("main|master"), 10, false)),
                Duration.ofDays(90),
                Untagged.KEEP,
                Duration.ofHours(6),
                null,
                null);
    }

    /**
     * Whether a planned delete first quarantines (untag and record, delete after {@link
     * #quarantineGrace()}). Null grace means off.
     */
    public boolean quarantines() {
        return quarantineGrace != null;
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
        private Duration maxInventoryAge;
        private Duration keepPulledWithin;
        private Duration quarantineGrace;

        private Builder(RepositoryPolicy p) {
            mode = p.mode;
            keepTags = p.keepTags;
            keepRecent = p.keepRecent;
            tagScheme = p.tagScheme;
            keepRecentPerBranch = p.keepRecentPerBranch;
            keepYoungerThan = p.keepYoungerThan;
            untagged = p.untagged;
            maxInventoryAge = p.maxInventoryAge;
            keepPulledWithin = p.keepPulledWithin;
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

        public Builder maxInventoryAge(Duration value) {
            maxInventoryAge = value;
            return this;
        }

        /** Null: no {@code keepPulledWithin}. */
        public Builder keepPulledWithin(Duration value) {
            keepPulledWithin = value;
            return this;
        }

        /** Null: quarantine off. */
        public Builder quarantineGrace(Duration value) {
            quarantineGrace = value;
            return this;
        }

        public RepositoryPolicy build() {
            return new RepositoryPolicy(
                    mode,
                    keepTags,
                    keepRecent,
                    tagScheme,
                    keepRecentPerBranch,
                    keepYoungerThan,
                    untagged,
                    maxInventoryAge,
                    keepPulledWithin,
                    quarantineGrace);
        }
    }
}
