package io.acrretention.cleanup;

import io.acrretention.registry.Manifest;
import io.acrretention.retention.Action;
import io.acrretention.retention.Decision;
import io.acrretention.retention.Reason;
import java.util.List;
import java.util.Map;

/**
 * Decisions built straight from listed manifests, for tests that need a given action, not a policy.
 */
final class Plans {
    private Plans() {}

    static Decision decide(Manifest m, Action action, List<String> untag) {
        List<Reason> reasons =
                action == Action.DELETE ? List.of(Reason.EXPIRED) : List.of(Reason.RECENT);
        return new Decision(
                m.digest(),
                m.mediaType(),
                m.tagNames(),
                m.createdTime(),
                m.lastUpdateTime(),
                m.sizeBytes(),
                action,
                untag,
                reasons,
                Map.of(),
                m.children(),
                m.subject(),
                null);
    }

    static ReportEntry withoutResult(ReportEntry e) {
        return new ReportEntry(
                e.digest(),
                e.tags(),
                e.createdTime(),
                e.sizeBytes(),
                e.action(),
                e.untag(),
                e.reasons(),
                e.tagReasons(),
                e.lastPulled(),
                null,
                null);
    }
}
