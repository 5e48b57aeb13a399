package io.acrretention.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.ReportEntry;
import io.acrretention.cleanup.Result;
import io.acrretention.retention.Action;
import io.acrretention.retention.Mode;
import io.acrretention.retention.Reason;
import io.acrretention.store.LocalDocumentStore;
import io.acrretention.usage.ClusterStatus;
import io.acrretention.usage.UsedImages;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndOfRunVerificationTest {
    private static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    private static final String RUN = "20261123T000000Z-0001";

    @TempDir Path dir;

    @Test
    void aRunPageRenderedMidRunIsNeitherCountedNorReadAsARepositoryReport() {
        RunDocuments documents = new RunDocuments(new LocalDocumentStore(dir));
        documents.saveInventory(
                new UsedImages(
                        RUN,
                        NOW,
                        true,
                        List.of(ClusterStatus.ok("prod", 0, 10)),
                        List.of(),
                        List.of()));
        documents.saveRecord(
                new RunRecord(
                        RUN,
                        NOW,
                        "test",
                        RunMode.DELETE,
                        RunDocuments.inventoryPath(RUN),
                        List.of(),
                        List.of(new RunRecord.RepositoryRef("reg.example.io", "app")),
                        List.of()));
        // GET /api/runs/{runId}/report renders the page beside the reports while the run goes on.
        documents.saveRunPage(RUN, "<html></html>");
        EndOfRunVerification verification =
                new EndOfRunVerification(documents, new RunVerifier(Map.of()));

        assertEquals(Optional.empty(), verification.afterRepository(RUN), "app is not done");

        documents.saveReport(deletedOne());
        Optional<Verification> done = verification.afterRepository(RUN);

        assertTrue(done.isPresent(), "the last repository finished the run");
        assertEquals(done, documents.verification(RUN));
    }

    private static Report deletedOne() {
        List<ReportEntry> entries =
                List.of(
                        new ReportEntry(
                                "sha256:" + "ab".repeat(32),
                                List.of(),
                                NOW,
                                10,
                                Action.DELETE,
                                List.of(),
                                List.of(Reason.EXPIRED),
                                Map.of(),
                                null,
                                Result.DELETED,
                                null));
        return new Report(
                Report.VERSION,
                RUN,
                "reg.example.io",
                "app",
                Mode.DELETE,
                NOW,
                NOW,
                List.of(),
                true,
                1,
                entries,
                Report.Totals.of(entries));
    }
}
