package io.acrretention.retention;

import static io.acrretention.testing.Repo.NOW;
import static io.acrretention.testing.Repo.daysAgo;
import static io.acrretention.testing.Repo.digest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.config.PolicyParser;
import io.acrretention.registry.RecentPulls;
import io.acrretention.registry.RecentPulls.Pull;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.testing.Inventories;
import io.acrretention.testing.Repo;
import io.acrretention.usage.UsedImages;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code keepPulledWithin} rule: the planner keeps what the registry's logs saw pulled in the
 * window.
 */
class PulledRecentlyTest {
    // Everything old and unprotected: only the pull rule can keep it.
    private static final RetentionPolicy POLICY =
            PolicyParser.parse(
                    """
            {"keepTags": [], "keepRecent": 0, "keepRecentPerBranch": [], "keepYoungerThan": "P1D",
             "keepPulledWithin": "P30D"}""");
    private static final RepositoryArtifacts REPO =
            Repo.named("app/api")
                    .image("by-digest", 200, "v1")
                    .image("by-tag", 200, "v2")
                    .image("long-ago", 200, "v3")
                    .image("other-repo", 200, "v4")
                    .build();

    private static UsedImages pulled(Pull... pulls) {
        return Inventories.using()
                .withPulls(List.of(RecentPulls.read(Repo.REGISTRY, daysAgo(30), List.of(pulls))));
    }

    private static Decision decisionFor(Plan plan, String label) {
        return plan.decisions().stream()
                .filter(d -> d.digest().equals(digest(label)))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aManifestPulledWithinTheWindowIsKeptUntouchedWithTheTimeOfItsLastPull() {
        Plan plan =
                RetentionPlanner.plan(
                        REPO,
                        pulled(
                                new Pull("app/api", digest("by-digest"), null, daysAgo(40)),
                                new Pull("app/api", digest("by-digest"), null, daysAgo(3)),
                                new Pull("app/api", null, "v2", daysAgo(5)),
                                new Pull("app/api", digest("long-ago"), null, daysAgo(31)),
                                new Pull("app/web", digest("other-repo"), null, daysAgo(1))),
                        POLICY.base(),
                        NOW);

        Decision byDigest = decisionFor(plan, "by-digest");
        assertEquals(Action.KEEP, byDigest.action());
        assertTrue(byDigest.reasons().contains(Reason.PULLED), byDigest.toString());
        assertEquals(daysAgo(3), byDigest.lastPulled());
        Decision byTag = decisionFor(plan, "by-tag");
        assertEquals(
                Action.KEEP,
                byTag.action(),
                "a tag-only log row counts for the manifest the tag points to");
        assertEquals(daysAgo(5), byTag.lastPulled());
        assertEquals(
                Action.DELETE, decisionFor(plan, "long-ago").action(), "pulled before the window");
        assertEquals(
                Action.DELETE,
                decisionFor(plan, "other-repo").action(),
                "pulled in another repository");
    }

    @Test
    void withoutTheSettingPullsDoNotKeepAnything() {
        RepositoryPolicy noRule =
                PolicyParser.parse(
                                """
                {"keepTags": [], "keepRecent": 0, "keepRecentPerBranch": [], "keepYoungerThan": "P1D"}""")
                        .base();
        Plan plan =
                RetentionPlanner.plan(
                        REPO,
                        pulled(new Pull("app/api", digest("by-digest"), null, daysAgo(1))),
                        noRule,
                        NOW);

        assertEquals(Action.DELETE, decisionFor(plan, "by-digest").action());
        assertNull(decisionFor(plan, "by-digest").lastPulled());
    }

    @Test
    void unreadablePullLogsWithholdDeletionAndSayWhichRegistryAndWhy() {
        UsedImages inventory =
                Inventories.using("mactemp.azurecr.io/app/api:v9")
                        .withPulls(
                                List.of(
                                        RecentPulls.unreadable(
                                                Repo.REGISTRY,
                                                daysAgo(30),
                                                "429 after 3 retries")));

        List<Withheld> withheld = Guards.check(inventory, POLICY, NOW);

        assertEquals(1, withheld.size(), withheld.toString());
        assertEquals(Withheld.Cause.PULL_LOGS_UNREADABLE, withheld.get(0).cause());
        assertTrue(
                withheld.get(0)
                        .message()
                        .contains("pull logs of mactemp.azurecr.io unreadable: 429 after 3"),
                withheld.get(0).message());
    }

    @Test
    void anInventoryWithoutPullLogsWithholdsDeletionWhenTheRuleIsOn() {
        List<Withheld> withheld =
                Guards.check(Inventories.using("mactemp.azurecr.io/app/api:v9"), POLICY, NOW);

        assertEquals(
                List.of(Withheld.Cause.PULL_LOGS_UNREADABLE),
                withheld.stream().map(Withheld::cause).toList());
    }
}
