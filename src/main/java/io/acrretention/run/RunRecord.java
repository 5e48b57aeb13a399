package io.acrretention.run;

import io.acrretention.retention.Withheld;
import java.time.Instant;
import java.util.List;

/**
 * What a run set out to do, written when it starts ({@code runs/{runId}/run.json}), so its status
 * can tell pending repositories from done ones.
 *
 * @param mode {@code dry-run}, {@code delete} or {@code mixed}: the repositories' effective modes
 * @param withheld why this run may not delete (checked at start; each repository checks again)
 * @param listingErrors registries whose repositories could not be listed: they are not in this run
 */
public record RunRecord(
        String runId,
        Instant startedAt,
        String trigger,
        RunMode mode,
        String inventory,
        List<Withheld> withheld,
        List<RepositoryRef> repositories,
        List<String> listingErrors) {
    public RunRecord {
        withheld = List.copyOf(withheld);
        repositories = List.copyOf(repositories);
        listingErrors = List.copyOf(listingErrors);
    }

    public record RepositoryRef(String registry, String repository) {}
}
