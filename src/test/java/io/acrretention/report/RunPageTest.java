package io.acrretention.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.ReportEntry;
import io.acrretention.cleanup.Result;
import io.acrretention.quarantine.QuarantineRecord;
import io.acrretention.retention.Action;
import io.acrretention.retention.Mode;
import io.acrretention.retention.Reason;
import io.acrretention.retention.Withheld;
import io.acrretention.run.RunDocuments;
import io.acrretention.run.RunMode;
import io.acrretention.run.RunRecord;
import io.acrretention.run.RunStatusReader;
import io.acrretention.run.RunSummary;
import io.acrretention.store.LocalDocumentStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run page's content, read as text: escaping, honest bytes, withheld reasons, and the
 * comparison.
 */
class RunPageTest {
    static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");

    @TempDir Path dir;

    private static ReportEntry entry(String digest, List<String> tags, Action action, long size) {
        return new ReportEntry(
                digest,
                tags,
                NOW.minusSeconds(86_400 * 200L),
                size,
                action,
                action == Action.UNTAG ? tags.subList(0, 1) : List.of(),
                List.of(action == Action.KEEP ? Reason.RECENT : Reason.EXPIRED),
                Map.of(),
                null,
                action == Action.KEEP ? Result.KEPT : Result.PLANNED,
                null);
    }

    private static Report report(String runId, String repository, ReportEntry... entries) {
        return new Report(
                Report.VERSION,
                runId,
                "reg.example.io",
                repository,
                Mode.DRY_RUN,
                NOW,
                NOW,
                List.of(),
                true,
                entries.length,
                List.of(entries),
                Report.Totals.of(List.of(entries)));
    }

    private static RunSummary summary(String runId, List<Withheld> withheld, List<Report> reports) {
        RunRecord record =
                new RunRecord(
                        runId,
                        NOW,
                        "test",
                        RunMode.DRY_RUN,
                        "inventory/" + runId + ".json",
                        withheld,
                        reports.stream()
                                .map(r -> new RunRecord.RepositoryRef(r.registry(), r.repository()))
                                .toList(),
                        List.of());
        return RunSummary.of(record, null, reports, List.of(), null);
    }

    @Test
    void everyUserSuppliedTextIsEscapedInContentAndAttributes() {
        String evil = "\"><script>alert(1)</script><img src=x onerror='x'>";
        Report r =
                report(
                        "20261123T000000Z-0001",
                        "app/" + "api",
                        entry("sha256:" + "a".repeat(64), List.of(evil), Action.DELETE, 10));
        String html =
                RunPage.render(
                        summary("20261123T000000Z-0001", List.of(), List.of(r)),
                        List.of(r),
                        Optional.empty(),
                        NOW);

        assertFalse(html.contains("<script>alert"), "no script element from a tag");
        assertFalse(html.contains("<img"), "no image element from a tag");
        assertFalse(html.contains("onerror='x'"), "no attribute can be closed by a quote");
        assertTrue(
                html.contains("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), "shown as text");
        assertEquals(2, html.split("<script>", -1).length, "exactly the page's own script");
    }

    @Test
    void sizesOfWhatGoesAreLabelledAsUpperBoundsAndTheCspAllowsOnlyThePagesOwnScript() {
        Report r =
                report(
                        "20261123T000000Z-0001",
                        "app",
                        entry("sha256:1", List.of("old"), Action.DELETE, 2048),
                        entry("sha256:2", List.of("new"), Action.KEEP, 4096));
        String html =
                RunPage.render(
                        summary("20261123T000000Z-0001", List.of(), List.of(r)),
                        List.of(r),
                        Optional.empty(),
                        NOW);

        assertTrue(html.contains("up to 2.0 KiB"));
        assertTrue(html.contains("layers") && html.contains("upper bounds"), "the page says why");
        assertTrue(
                html.contains("content=\"" + Html.esc(PageAssets.CSP) + "\""),
                "the policy travels with the page");
        assertTrue(
                PageAssets.CSP.contains("script-src 'sha256-")
                        && !PageAssets.CSP.contains("unsafe-inline"),
                PageAssets.CSP);
    }

    @Test
    void withheldReasonsAreInPlainWordsWithTheRunsOwnMessage() {
        Withheld w =
                new Withheld(
                        Withheld.Cause.INVENTORY_INCOMPLETE, "cluster prod failed: 403 Forbidden");
        String html =
                RunPage.render(
                        summary("20261123T000000Z-0001", List.of(w), List.of()),
                        List.of(),
                        Optional.empty(),
                        NOW);

        assertTrue(html.contains("Deletion was withheld."));
        assertTrue(html.contains("Not every cluster answered, so nothing could be proved unused."));
        assertTrue(html.contains("inventory-incomplete: cluster prod failed: 403 Forbidden"));
    }

    @Test
    void theChangesAgainstThePreviousRunNameRepositoriesAndManifestsWhoseDecisionMoved() {
        String a = "sha256:" + "a".repeat(64);
        String b = "sha256:" + "b".repeat(64);
        String c = "sha256:" + "c".repeat(64);
        List<Report> before =
                List.of(
                        report(
                                "p",
                                "app",
                                entry(a, List.of("1.0"), Action.KEEP, 1),
                                entry(b, List.of("0.9"), Action.DELETE, 1),
                                entry(c, List.of("0.8"), Action.DELETE, 1)),
                        report("p", "gone", entry(a, List.of("x"), Action.KEEP, 1)));
        List<Report> after =
                List.of(
                        report(
                                "n",
                                "app",
                                entry(a, List.of("1.0"), Action.DELETE, 1),
                                entry(b, List.of("0.9"), Action.DELETE, 1)),
                        report("n", "new", entry(a, List.of("y"), Action.KEEP, 1)));

        RunChanges changes = RunChanges.between("p", before, after);

        assertEquals(List.of("reg.example.io/new"), changes.addedRepositories());
        assertEquals(List.of("reg.example.io/gone"), changes.removedRepositories());
        assertEquals(1, changes.manifests().size());
        assertEquals(Action.KEEP, changes.manifests().get(0).before());
        assertEquals(Action.DELETE, changes.manifests().get(0).after());
        assertEquals(1, changes.manifestsGone(), "c was deleted by the previous run");
        assertEquals(1, changes.repositories().size(), "app: keep 1 / delete 2 became delete 2");
        StringBuilder h = new StringBuilder();
        Changes.section(h, changes);
        assertTrue(h.toString().contains("Changes since run <code>p</code>"));
    }

    @Test
    void thePageComparesWithTheLatestEarlierRunInTheStoreAndIgnoresLaterOnes() {
        RunDocuments documents = new RunDocuments(new LocalDocumentStore(dir));
        for (String id :
                List.of(
                        "20261121T000000Z-aaaa",
                        "20261122T000000Z-0001",
                        "20261124T000000Z-0000")) {
            Report r = report(id, "app", entry("sha256:1", List.of("t"), Action.KEEP, 1));
            RunSummary s = summary(id, List.of(), List.of(r));
            documents.saveRecord(
                    new RunRecord(
                            id,
                            NOW,
                            "test",
                            RunMode.DRY_RUN,
                            "inventory/" + id + ".json",
                            List.of(),
                            List.of(),
                            List.of()));
            documents.saveReport(r);
            assertEquals(id, s.runId());
        }
        RunPages pages = new RunPages(documents, new RunStatusReader(documents), Clock.systemUTC());

        assertEquals(
                Optional.of("20261122T000000Z-0001"),
                documents.previousRunId("20261123T000000Z-ffff"));
        assertEquals(Optional.empty(), documents.previousRunId("20261121T000000Z-aaaa"));
        String html = pages.write("20261122T000000Z-0001").orElseThrow();
        assertTrue(html.contains("Changes since run <code>20261121T000000Z-aaaa</code>"));
        assertTrue(html.contains("No decision changed."));
        List<String> read = new ArrayList<>();
        new RunStatusReader(documents)
                .reports("20261122T000000Z-0001")
                .forEach(r -> read.add(r.repository()));
        assertEquals(List.of("app"), read, "the page beside the reports is not read as one");
    }

    @Test
    void whatIsInQuarantineIsListedWithItsTagsSinceWhenAndTheRunThatTookThem() {
        Report r =
                report(
                        "20261123T000000Z-0001",
                        "app",
                        entry("sha256:1", List.of("x"), Action.KEEP, 1));
        QuarantineRecord held =
                new QuarantineRecord(
                        QuarantineRecord.VERSION,
                        "reg.example.io",
                        "app/api",
                        "sha256:" + "b".repeat(64),
                        List.of("1.0", "<b>evil</b>"),
                        "20261110T000000Z-0007",
                        NOW.minusSeconds(86_400 * 5L),
                        2048,
                        List.of(Reason.EXPIRED));
        String html =
                RunPage.render(
                        summary("20261123T000000Z-0001", List.of(), List.of(r)),
                        List.of(r),
                        Optional.empty(),
                        List.of(held),
                        NOW);

        assertTrue(html.contains("<h2>In quarantine</h2>"), "the section is there");
        assertTrue(html.contains("reg.example.io/app/api"));
        assertTrue(
                html.contains("1.0, &lt;b&gt;evil&lt;/b&gt;"),
                "the tags a restore puts back, escaped");
        assertTrue(html.contains("20261110T000000Z-0007"), "the run that quarantined it");
        assertTrue(html.contains("<td class=\"num\">5</td>"), "days in quarantine");
        assertFalse(
                RunPage.render(
                                summary("20261123T000000Z-0001", List.of(), List.of(r)),
                                List.of(r),
                                Optional.empty(),
                                NOW)
                        .contains("In quarantine"),
                "no section when nothing is in quarantine");
    }
}
