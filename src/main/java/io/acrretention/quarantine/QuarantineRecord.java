package io.acrretention.quarantine;

import io.acrretention.retention.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One quarantined manifest, document {@code quarantine/{registry}/{repository}/{digest}.json}:
 * written before the first tag is removed, so the store always knows every tag a quarantine took
 * away.
 *
 * @param tags the tags removed (what a restore puts back)
 * @param runId the run that quarantined it (restore by run)
 * @param quarantinedAt when the grace period began
 * @param reasons why the plan would delete it
 */
public record QuarantineRecord(
        int version,
        String registry,
        String repository,
        String digest,
        List<String> tags,
        String runId,
        Instant quarantinedAt,
        long sizeBytes,
        List<Reason> reasons) {
    public static final int VERSION = 1;

    public QuarantineRecord {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(quarantinedAt, "quarantinedAt");
        tags = tags == null ? List.of() : List.copyOf(tags);
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }
}
