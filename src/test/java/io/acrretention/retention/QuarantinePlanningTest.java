package io.acrretention.retention;

import static io.acrretention.testing.Repo.NOW;
import static io.acrretention.testing.Repo.digest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.config.PolicyParser;
import io.acrretention.testing.Inventories;
import io.acrretention.testing.Repo;
import io.acrretention.usage.UsedImages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How quarantine records change a plan; the planner stays pure (records are an input). */
class QuarantinePlanningTest {
    static final RepositoryPolicy QUARANTINE =
            PolicyParser.parse(
                            """
            {"keepRecent": 0, "keepRecentPerBranch": [], "keepYoungerThan": "P30D", "quarantine": {"grace": "P14D"}}""")
                    .base();
    static final UsedImages NOTHING_USED = Inventories.using();

    private static Decision plan(
            Repo repo,
            RepositoryPolicy policy,
            UsedImages used,
            Map<String, Quarantined.Entry> q,
            String label) {
        Plan plan = RetentionPlanner.plan(repo.build(), used, policy, NOW, new Quarantined(q));
        return plan.decisions().stream()
                .filter(d -> d.digest().equals(digest(label)))
                .findFirst()
                .orElseThrow();
    }

    private static Map<String, Quarantined.Entry> since(
            double daysAgo, String label, String... tags) {
        return Map.of(digest(label), new Quarantined.Entry(Repo.daysAgo(daysAgo), List.of(tags)));
    }

    @Test
    void anUntaggedQuarantinedManifestIsKeptUntilItsGraceHasPassedEvenWithUntaggedKeep() {
        Repo repo = Repo.named("app").image("old", 100);
        Decision during = plan(repo, QUARANTINE, NOTHING_USED, since(13, "old", "1.0"), "old");
        assertEquals(Action.KEEP, during.action());
        assertEquals(List.of(Reason.QUARANTINED), during.reasons());
        Decision after = plan(repo, QUARANTINE, NOTHING_USED, since(14, "old", "1.0"), "old");
        assertEquals(Action.DELETE, after.action());
        assertEquals(List.of(Reason.QUARANTINE_EXPIRED), after.reasons());
    }

    @Test
    void withQuarantineOffTheRecordsAreIgnoredAndUntaggedKeepHolds() {
        RepositoryPolicy off =
                PolicyParser.parse("{\"keepRecent\": 0, \"keepRecentPerBranch\": []}").base();
        Decision d =
                plan(
                        Repo.named("app").image("old", 100),
                        off,
                        NOTHING_USED,
                        since(100, "old", "1.0"),
                        "old");
        assertEquals(List.of(Reason.UNTAGGED), d.reasons());
    }

    @Test
    void aQuarantinedManifestWithATagAgainIsReleased() {
        Repo retagged =
                Repo.named("app")
                        .add(
                                new io.acrretention.registry.Manifest(
                                        digest("old"),
                                        null,
                                        1,
                                        Repo.daysAgo(100),
                                        Repo.daysAgo(100),
                                        true,
                                        true,
                                        List.of(
                                                io.acrretention.registry.Tag.of(
                                                        "hotfix", digest("old"), Repo.daysAgo(1))),
                                        List.of(),
                                        null));
        Decision d = plan(retagged, QUARANTINE, NOTHING_USED, since(20, "old", "1.0"), "old");
        assertEquals(Action.KEEP, d.action());
        assertTrue(
                d.reasons().containsAll(List.of(Reason.YOUNG, Reason.RELEASED)),
                d.reasons().toString());
    }

    @Test
    void aQuarantinedManifestUsedByDigestIsReleasedAndByARemovedTagStaysQuarantined() {
        Repo repo = Repo.named("app").image("old", 100);
        Decision byDigest =
                plan(
                        repo,
                        QUARANTINE,
                        Inventories.using(Repo.REGISTRY + "/app@" + digest("old")),
                        since(20, "old", "1.0"),
                        "old");
        assertTrue(byDigest.reasons().containsAll(List.of(Reason.USED, Reason.RELEASED)));
        Decision byRemovedTag =
                plan(
                        repo,
                        QUARANTINE,
                        Inventories.using(Repo.REGISTRY + "/app:1.0"),
                        since(20, "old", "1.0"),
                        "old");
        assertEquals(Action.KEEP, byRemovedTag.action());
        assertTrue(byRemovedTag.reasons().containsAll(List.of(Reason.USED, Reason.QUARANTINED)));
        assertTrue(!byRemovedTag.reasons().contains(Reason.RELEASED));
    }

    @Test
    void theChildrenOfAQuarantinedIndexStayWithItAndExpireWithIt() {
        Repo repo =
                Repo.named("app")
                        .index("idx", 100, List.of("amd64", "arm64"))
                        .image("amd64", 100)
                        .image("arm64", 100);
        Map<String, Quarantined.Entry> q = new java.util.HashMap<>();
        q.putAll(since(10, "idx", "1.0"));
        q.putAll(since(10, "amd64"));
        q.putAll(since(10, "arm64"));
        Decision child = plan(repo, QUARANTINE, NOTHING_USED, q, "amd64");
        assertEquals(Action.KEEP, child.action());
        assertTrue(child.reasons().contains(Reason.QUARANTINED), child.reasons().toString());
        q.replaceAll(
                (d, e) -> new Quarantined.Entry(e.since().minus(Duration.ofDays(5)), e.tags()));
        assertEquals(Action.DELETE, plan(repo, QUARANTINE, NOTHING_USED, q, "idx").action());
        assertEquals(Action.DELETE, plan(repo, QUARANTINE, NOTHING_USED, q, "amd64").action());
    }
}
