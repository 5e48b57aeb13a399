package io.acrretention.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.acrretention.cleanup.QuarantineTotals;
import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.ReportEntry;
import io.acrretention.cleanup.Result;
import io.acrretention.retention.Action;
import io.acrretention.retention.Mode;
import io.acrretention.retention.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSummaryTest {
    private static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    private static final String RUN = "20261123T000000Z-0001";

    @Test
    void theSummaryAddsUpTheTotalsOfEveryReportAndCountsReasonsPerEntry() {
        Report a =
                report(
                        "app",
                        entry("sha256:1", Action.DELETE, Result.DELETED, 100, Reason.EXPIRED),
                        entry("sha256:2", Action.DELETE, Result.QUARANTINED, 40, Reason.EXPIRED),
                        entry("sha256:3", Action.KEEP, Result.KEPT, 7, Reason.USED));
        Report b =
                report(
                        "web",
                        entry("sha256:4", Action.UNTAG, Result.FAILED, 5, Reason.USED),
                        entry("sha256:5", Action.DELETE, Result.PLANNED, 20, Reason.EXPIRED));

        RunSummary s = RunSummary.of(record("app", "web"), null, List.of(a, b), List.of(), null);

        assertEquals(Map.of("keep", 1L, "untag", 1L, "delete", 3L), s.manifests());
        assertEquals(
                Map.of("deleted", 1L, "quarantined", 1L, "kept", 1L, "failed", 1L, "planned", 1L),
                s.results());
        assertEquals(Map.of(Reason.EXPIRED.code(), 3L, Reason.USED.code(), 2L), s.reasons());
        assertEquals(160, s.bytesPlanned(), "up to what the delete decisions would free");
        assertEquals(100, s.bytesReclaimed(), "only what was really deleted");
        assertEquals(1, s.quarantine().quarantined());
        assertEquals(40, s.quarantine().quarantinedBytes());
        assertEquals(RunSummary.DONE_WITH_FAILURES, s.status());
    }

    @Test
    void aReportWrittenBeforeQuarantineExistedCountsAsNoQuarantine() {
        ReportEntry deleted = entry("sha256:1", Action.DELETE, Result.DELETED, 9, Reason.EXPIRED);
        Report.Totals counted = Report.Totals.of(List.of(deleted));
        Report old =
                withTotals(
                        report("app", deleted),
                        new Report.Totals(
                                counted.manifests(),
                                counted.bytes(),
                                counted.results(),
                                counted.bytesReclaimed(),
                                null));

        RunSummary s = RunSummary.of(record("app"), null, List.of(old), List.of(), null);

        assertEquals(QuarantineTotals.NONE, s.quarantine());
        assertEquals(9, s.bytesReclaimed());
        assertEquals(RunSummary.DONE, s.status());
    }

    private static RunRecord record(String... repositories) {
        return new RunRecord(
                RUN,
                NOW,
                "test",
                RunMode.DELETE,
                "inventory/" + RUN + ".json",
                List.of(),
                java.util.Arrays.stream(repositories)
                        .map(r -> new RunRecord.RepositoryRef("reg.example.io", r))
                        .toList(),
                List.of());
    }

    private static Report report(String repository, ReportEntry... entries) {
        return new Report(
                Report.VERSION,
                RUN,
                "reg.example.io",
                repository,
                Mode.DELETE,
                NOW,
                NOW,
                List.of(),
                true,
                entries.length,
                List.of(entries),
                Report.Totals.of(List.of(entries)));
    }

    private static Report withTotals(Report r, Report.Totals totals) {
        return new Report(
                r.version(),
                r.runId(),
                r.registry(),
                r.repository(),
                r.mode(),
                r.plannedAt(),
                r.finishedAt(),
                r.withheld(),
                r.complete(),
                r.nextIndex(),
                r.entries(),
                totals);
    }

    private static ReportEntry entry(
            String digest, Action action, Result result, long size, Reason reason) {
        return new ReportEntry(
                digest,
                List.of(),
                NOW,
                size,
                action,
                List.of(),
                List.of(reason),
                Map.of(),
                null,
                result,
                null);
    }
}
