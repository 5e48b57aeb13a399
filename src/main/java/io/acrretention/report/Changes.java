package io.acrretention.report;

import static io.acrretention.report.Html.esc;

import io.acrretention.retention.Action;
import java.util.List;
import java.util.Map;

/** The page's section on what changed against the previous run. */
final class Changes {
    /** Changed manifests listed on the page; a registry-wide policy change can move thousands. */
    static final int SHOWN = 200;

    private Changes() {}

    static void section(StringBuilder h, RunChanges c) {
        h.append("<h2>Changes since run <code>")
                .append(esc(c.previousRunId()))
                .append("</code></h2><section id=\"changes\">");
        if (c.isEmpty()) {
            h.append("<p>No decision changed.</p></section>\n");
            return;
        }
        h.append("<ul>");
        list(h, "New repositories", c.addedRepositories());
        list(h, "Repositories no longer in the run", c.removedRepositories());
        if (c.manifestsGone() > 0) {
            h.append("<li>")
                    .append(c.manifestsGone())
                    .append(
                            " manifests of the previous run are gone (deleted by it, or by someone else).</li>");
        }
        h.append("</ul>");
        if (!c.repositories().isEmpty()) {
            h.append("<table><thead><tr><th>repository</th><th>keep / untag / delete before</th>")
                    .append("<th>now</th></tr></thead><tbody>");
            for (RunChanges.RepositoryChange r : c.repositories()) {
                h.append("<tr><td>")
                        .append(esc(r.repository()))
                        .append("</td><td>")
                        .append(counts(r.before()))
                        .append("</td><td>")
                        .append(counts(r.after()))
                        .append("</td></tr>");
            }
            h.append("</tbody></table>");
        }
        if (!c.manifests().isEmpty()) {
            h.append(
                            "<table id=\"changed-manifests\"><thead><tr><th>repository</th><th>tags</th><th>digest</th>")
                    .append("<th>before</th><th>now</th></tr></thead><tbody>");
            c.manifests().stream()
                    .limit(SHOWN)
                    .forEach(
                            m ->
                                    h.append("<tr><td>")
                                            .append(esc(m.repository()))
                                            .append("</td><td class=\"tags\">")
                                            .append(esc(String.join(", ", m.tags())))
                                            .append("</td><td class=\"digest\">")
                                            .append(esc(m.digest()))
                                            .append("</td><td class=\"a-")
                                            .append(esc(m.before().json()))
                                            .append("\">")
                                            .append(esc(m.before().json()))
                                            .append("</td><td class=\"a-")
                                            .append(esc(m.after().json()))
                                            .append("\">")
                                            .append(esc(m.after().json()))
                                            .append("</td></tr>"));
            h.append("</tbody></table>");
            if (c.manifests().size() > SHOWN) {
                h.append("<p class=\"note\">")
                        .append(c.manifests().size() - SHOWN)
                        .append(" more changed manifests.</p>");
            }
        }
        h.append("</section>\n");
    }

    private static void list(StringBuilder h, String label, List<String> names) {
        if (!names.isEmpty()) {
            h.append("<li>")
                    .append(esc(label))
                    .append(": ")
                    .append(esc(String.join(", ", names)))
                    .append("</li>");
        }
    }

    private static String counts(Map<Action, Long> m) {
        return m.getOrDefault(Action.KEEP, 0L)
                + " / "
                + m.getOrDefault(Action.UNTAG, 0L)
                + " / "
                + m.getOrDefault(Action.DELETE, 0L);
    }
}
