package io.acrretention.report;

import static io.acrretention.report.Html.esc;

import io.acrretention.quarantine.QuarantineRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The page's section on what is in quarantine now: each manifest with the tags a restore would put
 * back, since when, and the run that took them, so whoever sees something break can find it here.
 */
final class QuarantineSection {
    /** Listed on the page, oldest first; the records in the store hold every one. */
    static final int SHOWN = 500;

    private QuarantineSection() {}

    static void section(StringBuilder h, List<QuarantineRecord> records, Instant now) {
        if (records.isEmpty()) {
            return;
        }
        h.append("<h2>In quarantine</h2><p class=\"meta\">")
                .append(records.size())
                .append(
                        " manifests untagged and recorded; pulls by digest still work. Restore with")
                .append(" <code>acr-retention restore --digest DIGEST --mode apply</code>.</p>")
                .append("<table id=\"quarantine\"><thead><tr><th>repository</th><th>digest</th>")
                .append("<th>tags removed</th><th>since</th><th class=\"num\">days</th>")
                .append("<th class=\"num\">size</th><th>run</th></tr></thead><tbody>");
        records.stream()
                .sorted(Comparator.comparing(QuarantineRecord::quarantinedAt))
                .limit(SHOWN)
                .forEach(
                        r ->
                                h.append("<tr><td>")
                                        .append(esc(r.registry() + "/" + r.repository()))
                                        .append("</td><td><code>")
                                        .append(esc(r.digest()))
                                        .append("</code></td><td>")
                                        .append(esc(String.join(", ", r.tags())))
                                        .append("</td><td>")
                                        .append(esc(r.quarantinedAt()))
                                        .append("</td><td class=\"num\">")
                                        .append(Duration.between(r.quarantinedAt(), now).toDays())
                                        .append("</td><td class=\"num\">")
                                        .append(esc(Html.upTo(r.sizeBytes())))
                                        .append("</td><td><code>")
                                        .append(esc(r.runId()))
                                        .append("</code></td></tr>"));
        h.append("</tbody></table>\n");
    }
}
