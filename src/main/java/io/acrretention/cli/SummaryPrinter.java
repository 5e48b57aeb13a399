package io.acrretention.cli;

import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.ReportEntry;
import io.acrretention.report.ByteSizes;
import io.acrretention.retention.Action;
import io.acrretention.retention.Reason;
import io.acrretention.retention.Withheld;
import io.acrretention.run.RunSummary;
import io.acrretention.usage.ClusterStatus;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The tables the command line prints: the run summary, and for the demo every decision with its
 * reasons.
 */
final class SummaryPrinter {
    private SummaryPrinter() {}

    static void summary(RunSummary s, List<Report> reports, PrintWriter out) {
        out.printf("Run %s (%s): %s%n", s.runId(), s.mode().json(), s.status());
        out.printf(
                "Inventory: %s, %d cluster(s)%n",
                s.inventoryComplete() ? "complete" : "INCOMPLETE", s.clusters().size());
        for (ClusterStatus c : s.clusters()) {
            out.printf(
                    "  %-20s %-6s %6d images %7d ms%s%n",
                    c.name(),
                    c.status(),
                    c.images(),
                    c.durationMs(),
                    c.error() == null ? "" : "  " + c.error());
        }
        out.println();
        out.printf(
                "%-48s %6s %6s %6s %12s  %s%n",
                "REPOSITORY", "KEEP", "UNTAG", "DELETE", "FREES UP TO", "RESULTS");
        for (Report r : reports) {
            var t = r.totals();
            out.printf(
                    "%-48s %6d %6d %6d %12s  %s%n",
                    r.registry() + "/" + r.repository(),
                    t.manifests().get(Action.KEEP),
                    t.manifests().get(Action.UNTAG),
                    t.manifests().get(Action.DELETE),
                    bytes(t.bytes().get(Action.DELETE)),
                    t.resultsText());
        }
        out.println();
        out.printf(
                "Repositories: %d done, %d pending, %d failed of %d%n",
                s.repositories().done(),
                s.repositories().pending(),
                s.repositories().failed(),
                s.repositories().total());
        out.printf(
                "Manifests: keep %d, untag %d, delete %d; frees up to %s, freed up to %s%n",
                s.manifests().get("keep"),
                s.manifests().get("untag"),
                s.manifests().get("delete"),
                bytes(s.bytesPlanned()),
                bytes(s.bytesReclaimed()));
        if (s.verification() != null) {
            out.printf(
                    "Verification: %d used images checked, %d missing%n",
                    s.verification().checked(), s.verification().missing().size());
        }
        // A manifest's size counts every layer it names; layers that a kept image shares stay in
        // the registry.
        out.println("(Bytes are upper bounds: layers shared with kept images are not freed.)");
        if (!s.quarantine().isEmpty()) {
            var q = s.quarantine();
            out.printf(
                    "Quarantine: %d quarantined (%s), %d expired and deleted (%s), %d released (%s), %d held (%s)%n",
                    q.quarantined(),
                    bytes(q.quarantinedBytes()),
                    q.expired(),
                    bytes(q.expiredBytes()),
                    q.released(),
                    bytes(q.releasedBytes()),
                    q.held(),
                    bytes(q.heldBytes()));
        }
        for (Withheld w : s.withheld()) {
            out.println("Deletion withheld (" + w.cause().code() + "): " + w.message());
        }
        for (String f : s.failures()) {
            out.println("Failed: " + f);
        }
    }

    /**
     * Every manifest of a report, newest first: what would be kept, untagged or deleted, and why.
     */
    static void decisions(Report r, PrintWriter out) {
        out.printf("%n%s/%s%n", r.registry(), r.repository());
        for (ReportEntry e : r.entries()) {
            String tags =
                    e.tags().isEmpty()
                            ? "(untagged " + e.digest().substring(7, 19) + ")"
                            : String.join(", ", e.tags());
            String why = e.reasons().stream().map(Reason::code).collect(Collectors.joining(", "));
            String untag =
                    e.action() == Action.UNTAG ? "  untag: " + String.join(", ", e.untag()) : "";
            out.printf(
                    "  %-6s %-44s %9s  %s%s%n",
                    e.action().json(), clip(tags, 44), bytes(e.sizeBytes()), why, untag);
        }
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 3) + "...";
    }

    static String bytes(long b) {
        return ByteSizes.human(b);
    }
}
