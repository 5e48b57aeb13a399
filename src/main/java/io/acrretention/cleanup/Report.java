package io.acrretention.cleanup;

import io.acrretention.retention.Action;
import io.acrretention.retention.Mode;
import io.acrretention.retention.Withheld;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-repository report, blob {@code reports/{runId}/{registry}/{repository}.json}.
 *
 * @param withheld why deletion was not allowed for this repository; empty when it was
 * @param complete false when the time budget ran out and a continuation carries on from {@code
 *     nextIndex}
 */
public record Report(
        int version,
        String runId,
        String registry,
        String repository,
        Mode mode,
        Instant plannedAt,
        Instant finishedAt,
        List<Withheld> withheld,
        boolean complete,
        int nextIndex,
        List<ReportEntry> entries,
        Totals totals) {
    public static final int VERSION = 1;

    public Report {
        withheld = List.copyOf(withheld);
        entries = List.copyOf(entries);
    }

    /**
     * Counts and bytes per action and per result; bytes reclaimed counts what was really deleted.
     *
     * @param quarantine quarantined, expired, released and held manifests (absent in reports of
     *     older versions)
     */
    public record Totals(
            Map<Action, Long> manifests,
            Map<Action, Long> bytes,
            Map<Result, Long> results,
            long bytesReclaimed,
            QuarantineTotals quarantine) {
        public static Totals of(List<ReportEntry> entries) {
            Map<Action, Long> manifests = new EnumMap<>(Action.class);
            Map<Action, Long> bytes = new EnumMap<>(Action.class);
            Map<Result, Long> results = new EnumMap<>(Result.class);
            for (Action a : Action.values()) {
                manifests.put(a, 0L);
                bytes.put(a, 0L);
            }
            long reclaimed = 0;
            for (ReportEntry e : entries) {
                manifests.merge(e.action(), 1L, Long::sum);
                bytes.merge(e.action(), e.sizeBytes(), Long::sum);
                results.merge(e.result(), 1L, Long::sum);
                if (e.result() == Result.DELETED) {
                    reclaimed += e.sizeBytes();
                }
            }
            return new Totals(
                    manifests,
                    bytes,
                    new TreeMap<>(results),
                    reclaimed,
                    QuarantineTotals.of(entries));
        }

        /** The results as log lines and tables show them: {@code kept 13, planned 17}. */
        public String resultsText() {
            return results.entrySet().stream()
                    .map(e -> e.getKey().code() + " " + e.getValue())
                    .collect(java.util.stream.Collectors.joining(", "));
        }
    }
}
