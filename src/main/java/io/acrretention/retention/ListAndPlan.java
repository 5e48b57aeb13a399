package io.acrretention.retention;

import io.acrretention.registry.Manifest;
import io.acrretention.registry.Registry;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.usage.UsedImages;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lists a repository and plans it, knowing the OCI {@code subject} of every manifest the plan
 * deletes or untags, tagged or not: a tagged SBOM ({@code v1-sbom}) of a kept image must stay with
 * it.
 *
 * <p>Two steps around the pure planner: plan; read the content of the manifests it would delete or
 * untag but could not judge ({@code subject-unread}); plan again. Reading those candidates costs
 * fewer reads than the other way, listing the referrers ({@code GET /v2/{name}/referrers/{digest}})
 * of every kept manifest: the kept side is read again every run and is large (everything younger
 * than {@code keepYoungerThan}, the recent tags, the used images and every child of a kept index),
 * while after the first run the candidates are only what expired since the last one, and a manifest
 * that was deleted is never read again. Indexes (and manifests of unknown type) are read by the
 * listing already, for their children.
 */
public final class ListAndPlan {
    private ListAndPlan() {}

    public static Plan plan(
            Registry registry,
            String repository,
            UsedImages usedImages,
            RepositoryPolicy policy,
            Instant now) {
        return plan(registry, repository, usedImages, policy, now, Quarantined.NONE);
    }

    /**
     * @param quarantined the repository's quarantine records (none when quarantine is off)
     */
    public static Plan plan(
            Registry registry,
            String repository,
            UsedImages usedImages,
            RepositoryPolicy policy,
            Instant now,
            Quarantined quarantined) {
        RepositoryArtifacts listed = registry.artifacts(repository);
        Plan first = RetentionPlanner.plan(listed, usedImages, policy, now, quarantined);
        List<String> unread =
                first.decisions().stream()
                        .filter(d -> d.reasons().contains(Reason.SUBJECT_UNREAD))
                        .map(Decision::digest)
                        .toList();
        if (unread.isEmpty()) {
            return first;
        }
        Map<String, Optional<String>> subjects = registry.subjects(repository, unread);
        // A manifest that vanished before it was read keeps subjectUnread, so it is kept, never
        // guessed.
        List<Manifest> read =
                listed.manifests().stream()
                        .map(
                                m ->
                                        subjects.containsKey(m.digest())
                                                ? m.withSubject(
                                                        subjects.get(m.digest()).orElse(null))
                                                : m)
                        .toList();
        return RetentionPlanner.plan(
                new RepositoryArtifacts(listed.registry(), repository, read),
                usedImages,
                policy,
                now,
                quarantined);
    }
}
