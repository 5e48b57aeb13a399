package io.acrretention.report;

import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.ReportEntry;
import io.acrretention.retention.Action;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What changed against the previous run: repositories that appeared or went, repositories whose
 * counts moved, and manifests (by digest) whose decision changed. A manifest that is gone now was
 * usually deleted by the previous run, so it is counted, not listed.
 */
record RunChanges(
        String previousRunId,
        List<String> addedRepositories,
        List<String> removedRepositories,
        List<RepositoryChange> repositories,
        List<ManifestChange> manifests,
        int manifestsGone) {

    record RepositoryChange(String repository, Map<Action, Long> before, Map<Action, Long> after) {}

    record ManifestChange(
            String repository, String digest, List<String> tags, Action before, Action after) {}

    boolean isEmpty() {
        return addedRepositories.isEmpty()
                && removedRepositories.isEmpty()
                && repositories.isEmpty()
                && manifests.isEmpty()
                && manifestsGone == 0;
    }

    static RunChanges between(String previousRunId, List<Report> previous, List<Report> current) {
        Map<String, Report> before = byName(previous);
        Map<String, Report> after = byName(current);
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<RepositoryChange> repositories = new ArrayList<>();
        List<ManifestChange> manifests = new ArrayList<>();
        int gone = 0;
        for (String name : new TreeSet<>(union(before, after))) {
            Report b = before.get(name);
            Report a = after.get(name);
            if (b == null) {
                added.add(name);
                continue;
            }
            if (a == null) {
                removed.add(name);
                continue;
            }
            if (!b.totals().manifests().equals(a.totals().manifests())) {
                repositories.add(
                        new RepositoryChange(name, b.totals().manifests(), a.totals().manifests()));
            }
            Map<String, ReportEntry> now = new LinkedHashMap<>();
            a.entries().forEach(e -> now.put(e.digest(), e));
            for (ReportEntry was : b.entries()) {
                ReportEntry is = now.get(was.digest());
                if (is == null) {
                    gone++;
                } else if (is.action() != was.action()) {
                    manifests.add(
                            new ManifestChange(
                                    name, is.digest(), is.tags(), was.action(), is.action()));
                }
            }
        }
        return new RunChanges(previousRunId, added, removed, repositories, manifests, gone);
    }

    private static Map<String, Report> byName(List<Report> reports) {
        Map<String, Report> out = new LinkedHashMap<>();
        reports.forEach(r -> out.put(r.registry() + "/" + r.repository(), r));
        return out;
    }

    private static TreeSet<String> union(Map<String, Report> a, Map<String, Report> b) {
        TreeSet<String> all = new TreeSet<>(a.keySet());
        all.addAll(b.keySet());
        return all;
    }
}
