package io.acrretention.report;

import static io.acrretention.report.Html.bytes;
import static io.acrretention.report.Html.esc;
import static io.acrretention.report.Html.upTo;

import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.ReportEntry;
import io.acrretention.quarantine.QuarantineRecord;
import io.acrretention.retention.Action;
import io.acrretention.retention.Reason;
import io.acrretention.retention.Withheld;
import io.acrretention.run.RunSummary;
import io.acrretention.usage.ClusterStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One run as one self-contained HTML page ({@code reports/{runId}/index.html}): status and mode,
 * clusters, withheld reasons in plain words, per registry a sortable, filterable table of
 * repositories with every repository's manifests, and what changed against the previous run. Every
 * value is escaped.
 */
public final class RunPage {
    /** Kept manifests listed per repository; what would go is always listed in full. */
    static final int KEPT_SHOWN = 100;

    static final String QUARANTINED = "quarantined";

    private RunPage() {}

    static String render(
            RunSummary s, List<Report> reports, Optional<RunChanges> changes, Instant generatedAt) {
        return render(s, reports, changes, List.of(), generatedAt);
    }

    /**
     * @param inQuarantine the quarantine records in the store when the page is written
     */
    static String render(
            RunSummary s,
            List<Report> reports,
            Optional<RunChanges> changes,
            List<QuarantineRecord> inQuarantine,
            Instant generatedAt) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
                .append(esc(PageAssets.CSP))
                .append("\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>acr-retention run ")
                .append(esc(s.runId()))
                .append("</title><style>")
                .append(PageAssets.CSS)
                .append("</style></head><body>\n");
        header(h, s, generatedAt);
        withheld(h, s);
        totals(h, s);
        clusters(h, s);
        changes.ifPresent(c -> Changes.section(h, c));
        QuarantineSection.section(h, inQuarantine, generatedAt);
        repositories(h, s, reports);
        h.append("<script>").append(PageAssets.JS).append("</script></body></html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, RunSummary s, Instant generatedAt) {
        h.append("<h1>Run <code>")
                .append(esc(s.runId()))
                .append("</code></h1><p class=\"meta\">")
                .append("<span id=\"status\" class=\"badge ")
                .append(esc(s.status()))
                .append("\">")
                .append(esc(s.status()))
                .append("</span> <span id=\"mode\" class=\"badge\">")
                .append(esc(s.mode().json()))
                .append("</span> ")
                .append(
                        s.mode().json().equals("dry-run")
                                ? "nothing was deleted; the page shows what delete mode would do. "
                                : "")
                .append("Started ")
                .append(esc(s.startedAt()))
                .append(", page written ")
                .append(esc(generatedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
                .append(". Repositories: ")
                .append(s.repositories().done())
                .append(" done, ")
                .append(s.repositories().pending())
                .append(" pending, ")
                .append(s.repositories().failed())
                .append(" failed of ")
                .append(s.repositories().total())
                .append(".</p>\n");
        for (String f : s.failures()) {
            h.append("<p class=\"withheld\">Failed: ").append(esc(f)).append("</p>\n");
        }
    }

    private static void withheld(StringBuilder h, RunSummary s) {
        h.append("<section id=\"withheld\">");
        if (s.withheld().isEmpty()) {
            h.append(
                    "<p class=\"allowed\">Deletion was allowed: the inventory was complete and every guard passed.</p>");
        } else {
            h.append("<div class=\"withheld\"><b>Deletion was withheld.</b><ul>");
            for (Withheld w : s.withheld()) {
                h.append("<li>")
                        .append(esc(PlainWords.withheld(w)))
                        .append(" <span class=\"note\">")
                        .append(esc(w.cause() == null ? "" : w.cause().code()))
                        .append(": ")
                        .append(esc(w.message()))
                        .append("</span></li>");
            }
            h.append("</ul></div>");
        }
        h.append("</section>\n");
    }

    private static void totals(StringBuilder h, RunSummary s) {
        h.append("<section id=\"totals\"><div class=\"cards\">");
        card(h, "keep", s.manifests().getOrDefault("keep", 0L));
        card(h, "untag", s.manifests().getOrDefault("untag", 0L));
        card(h, "delete", s.manifests().getOrDefault("delete", 0L));
        card(h, QUARANTINED, s.results().getOrDefault(QUARANTINED, 0L));
        h.append("<div class=\"card\">planned to free<b>")
                .append(esc(upTo(s.bytesPlanned())))
                .append("</b></div>")
                .append("<div class=\"card\">freed<b>")
                .append(esc(upTo(s.bytesReclaimed())))
                .append("</b></div>")
                .append(
                        "</div><p class=\"note\">Bytes are upper bounds: a manifest's size counts its layers, and layers")
                .append(" that a kept image shares stay in the registry. Results: ")
                .append(
                        esc(
                                s.results().entrySet().stream()
                                        .map(e -> e.getKey() + " " + e.getValue())
                                        .collect(Collectors.joining(", "))))
                .append(".</p></section>\n");
    }

    private static void card(StringBuilder h, String label, long n) {
        h.append("<div class=\"card\">")
                .append(esc(label))
                .append("<b>")
                .append(n)
                .append("</b></div>");
    }

    private static void clusters(StringBuilder h, RunSummary s) {
        h.append("<h2>Clusters</h2><p class=\"meta\">Inventory ")
                .append(s.inventoryComplete() ? "complete" : "<b>incomplete</b>")
                .append(".</p>")
                .append(
                        "<table id=\"clusters\"><thead><tr><th>cluster</th><th>status</th><th class=\"num\">images</th>")
                .append("<th class=\"num\">duration</th><th>error</th></tr></thead><tbody>");
        for (ClusterStatus c : s.clusters()) {
            h.append("<tr><td>")
                    .append(esc(c.name()))
                    .append("</td><td><span class=\"badge ")
                    .append(esc(c.status()))
                    .append("\">")
                    .append(esc(c.status()))
                    .append("</span></td><td class=\"num\">")
                    .append(c.images())
                    .append("</td><td class=\"num\">")
                    .append(esc(duration(c.durationMs())))
                    .append("</td><td>")
                    .append(esc(c.error()))
                    .append("</td></tr>");
        }
        h.append("</tbody></table>\n");
    }

    private static void repositories(StringBuilder h, RunSummary s, List<Report> reports) {
        h.append(
                        "<h2>Repositories</h2><p><input type=\"search\" id=\"filter\" placeholder=\"filter by repository,")
                .append(
                        " tag or digest\" aria-label=\"filter\"> <span id=\"filter-count\" class=\"note\"></span></p>\n");
        Map<String, List<Report>> byRegistry =
                new TreeMap<>(reports.stream().collect(Collectors.groupingBy(Report::registry)));
        int n = 0;
        for (Map.Entry<String, List<Report>> registry : byRegistry.entrySet()) {
            h.append("<h3>")
                    .append(esc(registry.getKey()))
                    .append("</h3>")
                    .append(
                            "<table class=\"sortable repositories\"><thead><tr><th data-key=\"repository\">repository</th>")
                    .append(
                            "<th class=\"num\" data-key=\"keep\">keep</th><th class=\"num\" data-key=\"untag\">untag</th>")
                    .append("<th class=\"num\" data-key=\"delete\">delete</th>")
                    .append("<th class=\"num\" data-key=\"quarantined\">quarantined</th>")
                    .append(
                            "<th class=\"num\" data-key=\"bytes\">frees</th><th data-key=\"results\">results</th>")
                    .append("</tr></thead><tbody>");
            StringBuilder details = new StringBuilder();
            for (Report r : registry.getValue()) {
                String id = "repo-" + n++;
                var t = r.totals();
                long quarantined =
                        r.entries().stream()
                                .filter(e -> QUARANTINED.equals(e.result().code()))
                                .count();
                h.append("<tr data-details=\"")
                        .append(id)
                        .append("\" data-search=\"")
                        .append(esc(search(r)))
                        .append("\"><td><a href=\"#")
                        .append(id)
                        .append("\">")
                        .append(esc(r.repository()))
                        .append("</a></td>")
                        .append(num(t.manifests().get(Action.KEEP)))
                        .append(num(t.manifests().get(Action.UNTAG)))
                        .append(num(t.manifests().get(Action.DELETE)))
                        .append(num(quarantined))
                        .append("<td class=\"num\" data-v=\"")
                        .append(t.bytes().get(Action.DELETE))
                        .append("\">")
                        .append(esc(upTo(t.bytes().get(Action.DELETE))))
                        .append("</td><td>")
                        .append(esc(t.resultsText()))
                        .append(r.complete() ? "" : " (continuing)")
                        .append("</td></tr>");
                manifests(details, id, r, s.startedAt());
            }
            h.append("</tbody></table>\n").append(details);
        }
    }

    private static String num(Long v) {
        long n = v == null ? 0 : v;
        return "<td class=\"num\">" + n + "</td>";
    }

    /** What the filter matches: the repository, every tag and every digest, in lower case. */
    private static String search(Report r) {
        StringBuilder sb = new StringBuilder(r.registry()).append('/').append(r.repository());
        for (ReportEntry e : r.entries()) {
            sb.append(' ').append(e.digest());
            e.tags().forEach(t -> sb.append(' ').append(t));
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private static void manifests(StringBuilder h, String id, Report r, Instant now) {
        List<ReportEntry> going =
                r.entries().stream().filter(e -> e.action() != Action.KEEP).toList();
        List<ReportEntry> kept =
                r.entries().stream().filter(e -> e.action() == Action.KEEP).toList();
        h.append("<details id=\"")
                .append(id)
                .append("\"><summary>")
                .append(esc(r.registry() + "/" + r.repository()))
                .append(": ")
                .append(r.entries().size())
                .append(" manifests</summary>")
                .append(
                        "<table class=\"sortable manifests\"><thead><tr><th>tags</th><th>digest</th>")
                .append(
                        "<th class=\"num\">age</th><th class=\"num\">size</th><th>action</th><th>reasons</th>")
                .append("<th>result</th></tr></thead><tbody>");
        going.forEach(e -> manifest(h, e, now));
        kept.stream().limit(KEPT_SHOWN).forEach(e -> manifest(h, e, now));
        h.append("</tbody></table>");
        if (kept.size() > KEPT_SHOWN) {
            h.append("<p class=\"note\">")
                    .append(kept.size() - KEPT_SHOWN)
                    .append(" more kept manifests are in the repository's JSON report.</p>");
        }
        h.append("</details>\n");
    }

    private static void manifest(StringBuilder h, ReportEntry e, Instant now) {
        String tags = e.tags().isEmpty() ? "(untagged)" : String.join(", ", e.tags());
        String untag = e.action() == Action.UNTAG ? ": " + String.join(", ", e.untag()) : "";
        long age = e.createdTime() == null ? -1 : Duration.between(e.createdTime(), now).toDays();
        h.append("<tr><td class=\"tags\">")
                .append(esc(tags))
                .append("</td><td class=\"digest\" title=\"")
                .append(esc(e.digest()))
                .append("\">")
                .append(esc(shortDigest(e.digest())))
                .append("</td>")
                .append("<td class=\"num\" data-v=\"")
                .append(age)
                .append("\">")
                .append(age < 0 ? "?" : age + " d")
                .append("</td><td class=\"num\" data-v=\"")
                .append(e.sizeBytes())
                .append("\">")
                .append(
                        esc(
                                e.action() == Action.DELETE
                                        ? upTo(e.sizeBytes())
                                        : bytes(e.sizeBytes())))
                .append("</td>")
                .append("<td class=\"a-")
                .append(esc(e.action().json()))
                .append("\">")
                .append(esc(e.action().json()))
                .append(esc(untag))
                .append("</td><td>")
                .append(
                        esc(
                                e.reasons().stream()
                                        .map(Reason::code)
                                        .collect(Collectors.joining(", "))))
                .append("</td><td>")
                .append(esc(e.result().code()))
                .append(e.error() == null ? "" : ": " + esc(e.error()))
                .append("</td></tr>");
    }

    private static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return digest.length() > colon + 13 ? digest.substring(0, colon + 13) : digest;
    }

    private static String duration(long ms) {
        return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
