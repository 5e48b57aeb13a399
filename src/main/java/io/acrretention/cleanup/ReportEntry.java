package io.acrretention.cleanup;

import io.acrretention.retention.Action;
import io.acrretention.retention.Decision;
import io.acrretention.retention.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One manifest in a report: the decision, and how applying it ended.
 *
 * @param lastPulled its last pull within {@code keepPulledWithin} (reason {@code pulled}); null
 *     when none is known
 */
public record ReportEntry(
        String digest,
        List<String> tags,
        Instant createdTime,
        long sizeBytes,
        Action action,
        List<String> untag,
        List<Reason> reasons,
        Map<String, List<Reason>> tagReasons,
        Instant lastPulled,
        Result result,
        String error) {
    public ReportEntry {
        tags = List.copyOf(tags);
        untag = List.copyOf(untag);
        reasons = List.copyOf(reasons);
        tagReasons = Map.copyOf(tagReasons);
    }

    public static ReportEntry of(Decision d, Result result, String error) {
        return new ReportEntry(
                d.digest(),
                d.tags(),
                d.createdTime(),
                d.sizeBytes(),
                d.action(),
                d.untag(),
                d.reasons(),
                d.tagReasons(),
                d.lastPulled(),
                result,
                error);
    }
}
