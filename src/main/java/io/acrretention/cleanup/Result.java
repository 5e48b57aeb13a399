package io.acrretention.cleanup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How applying one decision ended (docs/reports.md). */
public enum Result {
    /** Kept: nothing to do. */
    KEPT("kept"),
    /** Dry run, or deletion withheld: what delete mode would do, not done. */
    PLANNED("planned"),
    DELETED("deleted"),
    UNTAGGED("untagged"),
    /** Already deleted by someone else (404): success. */
    ALREADY_GONE("already-gone"),
    /** The registry refused because the artifact is locked. */
    LOCKED("locked"),
    FAILED("failed"),
    /** Not attempted: the run reached maxDeletesPerRun. */
    SKIPPED_CAP("skipped-cap"),
    /**
     * Not attempted: it changed since the listing (tags, update time, a tag re-pushed elsewhere),
     * or the index or subject it depends on is still there.
     */
    CHANGED_DURING_RUN("changed-during-run"),
    /**
     * Not attempted: the run's inventory marks the digest or tag as used, whatever the plan said.
     */
    REFUSED_IN_USE("refused-in-use"),
    /**
     * A planned delete with quarantine on: recorded, then every tag removed; deleted after the
     * grace.
     */
    QUARANTINED("quarantined");

    private final String code;

    Result(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    @JsonCreator
    public static Result fromCode(String code) {
        for (Result r : values()) {
            if (r.code.equals(code)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown result '" + code + "'");
    }
}
