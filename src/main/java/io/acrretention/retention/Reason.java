package io.acrretention.retention;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a tag or manifest stays or goes. Every decision carries at least one. */
public enum Reason {
    // Reasons to keep.
    /** The tag matches a {@code keepTags} pattern ({@code latest} by default). */
    LATEST("latest", true),
    /** A cluster uses it, by tag or by digest. */
    USED("used", true),
    /** An image index one of whose children a cluster uses by digest. */
    USED_CHILD("used-child", true),
    /** Among the {@code keepRecent} newest tags of the repository. */
    RECENT("recent", true),
    /** Among the newest tags of a branch named in {@code keepRecentPerBranch}. */
    RECENT_BRANCH("recent-branch", true),
    /** Younger than {@code keepYoungerThan}, or pushed after the run's clock. */
    YOUNG("young", true),
    /** Locked against deletion or writes. */
    LOCKED("locked", true),
    /** A tag that would go, kept because its manifest stays for a manifest-level reason. */
    SHARES_MANIFEST("shares-manifest", true),
    /** A manifest an image index that stays refers to. */
    INDEX_CHILD("index-child", true),
    /** A signature, attestation or SBOM of a manifest that stays. */
    REFERRER("referrer", true),
    /** Pulled within {@code keepPulledWithin}, by the registry's diagnostic logs. */
    PULLED("pulled", true),
    /**
     * Its content was not read, so it might be a signature or SBOM of a manifest that stays: never
     * deleted or untagged on a guess. Only a plan made without reading its candidates carries it.
     */
    SUBJECT_UNREAD("subject-unread", true),
    /** Untagged when listed, kept because the policy says {@code untagged: keep}. */
    UNTAGGED("untagged", true),
    /**
     * Quarantined by an earlier run (untagged and recorded) and its grace period has not passed.
     */
    QUARANTINED("quarantined", true),
    /** Was quarantined, and got a tag again or is used again: it leaves quarantine. */
    RELEASED("released", true),

    // Reasons to go.
    /** No rule keeps the tag, or no tag of the manifest stays. */
    EXPIRED("expired", false),
    /**
     * Untagged, older than {@code keepYoungerThan}, and the policy says {@code untagged: delete}.
     */
    UNTAGGED_EXPIRED("untagged-expired", false),
    /**
     * Quarantined for the whole grace period, still untagged, unused, and the plan would still
     * delete it.
     */
    QUARANTINE_EXPIRED("quarantine-expired", false);

    private final String code;
    private final boolean keeps;

    Reason(String code, boolean keeps) {
        this.code = code;
        this.keeps = keeps;
    }

    @JsonValue
    public String code() {
        return code;
    }

    public boolean keeps() {
        return keeps;
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Reason fromCode(String code) {
        for (Reason r : values()) {
            if (r.code.equals(code)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown reason '" + code + "'");
    }
}
