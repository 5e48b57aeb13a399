package io.acrretention.quarantine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a restore did, document {@code restores/{restoreId}.json} when it applied.
 *
 * @param apply false for a dry run: nothing was pushed and no record removed
 */
public record RestoreReport(
        String restoreId, boolean apply, Instant finishedAt, List<Entry> entries, Totals totals) {
    /** How restoring one manifest ended. */
    public enum Result {
        PLANNED,
        RESTORED,
        GONE,
        FAILED
    }

    /**
     * @param tags per recorded tag: {@code restored}, {@code already-there}, {@code tag-taken}, or,
     *     in a dry run, {@code planned}
     */
    public record Entry(
            String registry,
            String repository,
            String digest,
            String runId,
            Instant quarantinedAt,
            long sizeBytes,
            Map<String, String> tags,
            Result result,
            String error) {
        public Entry {
            tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
        }
    }

    /** Counts and bytes of manifests restored; tags left alone because they point elsewhere now. */
    public record Totals(
            long restored,
            long restoredBytes,
            long planned,
            long plannedBytes,
            long tagsTaken,
            long gone,
            long failed) {
        static Totals of(List<Entry> entries) {
            long restored = 0;
            long restoredBytes = 0;
            long planned = 0;
            long plannedBytes = 0;
            long taken = 0;
            long gone = 0;
            long failed = 0;
            for (Entry e : entries) {
                switch (e.result()) {
                    case RESTORED -> {
                        restored++;
                        restoredBytes += e.sizeBytes();
                    }
                    case PLANNED -> {
                        planned++;
                        plannedBytes += e.sizeBytes();
                    }
                    case GONE -> gone++;
                    case FAILED -> failed++;
                }
                taken += e.tags().values().stream().filter("tag-taken"::equals).count();
            }
            return new Totals(restored, restoredBytes, planned, plannedBytes, taken, gone, failed);
        }
    }

    public RestoreReport {
        entries = List.copyOf(entries);
    }
}
