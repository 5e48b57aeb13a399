package io.acrretention.cleanup;

import static io.acrretention.cleanup.Plans.decide;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.registry.Manifest;
import io.acrretention.registry.Tag;
import io.acrretention.registry.acr.AcrRegistry;
import io.acrretention.retention.Action;
import io.acrretention.retention.Decision;
import io.acrretention.retention.Mode;
import io.acrretention.retention.Plan;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.acr.AcrEmulator;
import io.acrretention.usage.RepositoryUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry changes while a plan is applied (docs/decision-rule.md "Applying a plan while the
 * registry changes"): the emulator makes each change exactly where the cleaner is exposed, and the
 * real SDK adapter carries the calls.
 */
class CleanerChangesDuringRunIT {
    static final String LOGIN = "mactemp.azurecr.io";
    static final String REPO = "app/api";
    static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    static TestCertificates certs;
    AcrEmulator acr;
    AcrRegistry registry;
    Cleaner cleaner;
    final List<Manifest> seeded = new ArrayList<>();

    @BeforeAll
    static void certificates() {
        certs = TestCertificates.create("cleaner-changes-ca");
    }

    @BeforeEach
    void start() {
        acr = AcrEmulator.start(certs, LOGIN, "aad");
        registry =
                AcrRegistry.create(
                        acr.endpoint(),
                        LOGIN,
                        AcrEmulator.credential("aad"),
                        null,
                        Duration.ofSeconds(10),
                        AcrRegistry.httpClient(certs.clientContext(), Duration.ofSeconds(10)));
        cleaner =
                new Cleaner(
                        registry,
                        4,
                        new Backoff(4, Duration.ofMillis(10), Duration.ofMillis(50)),
                        Clock.systemUTC(),
                        Sleeper.SYSTEM);
        // 1 and 2 are an index's platform images, 3 is the index, 4 a plain image with a signature
        // 5, 6 has a
        // tag that goes and one that stays.
        seed(manifest(1, List.of(), List.of(), null, null));
        seed(manifest(2, List.of(), List.of(), null, null));
        seed(manifest(3, List.of("v3"), List.of(digest(1), digest(2)), null, INDEX_TYPE));
        seed(manifest(4, List.of("v4"), List.of(), null, null));
        seed(manifest(5, List.of(), List.of(), digest(4), null));
        seed(manifest(6, List.of("keep6", "old6"), List.of(), null, null));
    }

    @AfterEach
    void stop() {
        acr.close();
    }

    static String digest(int i) {
        return "sha256:" + String.format("%064x", i);
    }

    static Manifest manifest(
            int i, List<String> tags, List<String> children, String subject, String mediaType) {
        Instant t = T0.plusSeconds(i);
        return new Manifest(
                digest(i),
                mediaType,
                100 + i,
                t,
                t,
                true,
                true,
                tags.stream().map(n -> new Tag(n, digest(i), t, t, true, true)).toList(),
                children,
                subject);
    }

    void seed(Manifest m) {
        seeded.add(m);
        acr.state().put(REPO, m);
    }

    /**
     * Children and referrers listed first, as a newest-first plan may: the cleaner must reorder
     * them.
     */
    Plan plan() {
        List<Decision> ds = new ArrayList<>();
        for (int i : new int[] {1, 2, 5, 3, 4, 6}) {
            Manifest m = seeded.get(i - 1);
            Action a = i == 6 ? Action.UNTAG : Action.DELETE;
            ds.add(decide(m, a, a == Action.UNTAG ? List.of("old6") : List.of()));
        }
        return new Plan(LOGIN, REPO, Instant.now(), ds);
    }

    Report apply(Plan plan) {
        return cleaner.apply(
                new CleanupRequest(
                        "run-1",
                        plan,
                        RepositoryUsage.NONE,
                        Mode.DELETE,
                        List.of(),
                        DeleteBudget.inMemory(100),
                        0,
                        Instant.now().plusSeconds(60)));
    }

    static Result resultOf(Report r, int i) {
        return r.entries().stream()
                .filter(e -> e.digest().equals(digest(i)))
                .findFirst()
                .orElseThrow()
                .result();
    }

    /**
     * An index whose child is missing breaks every pull of it: that must never be the state we
     * leave.
     */
    void assertNoIndexNamesAMissingChild() {
        for (Manifest m : seeded) {
            if (acr.state().hasManifest(REPO, m.digest())) {
                for (String child : m.children()) {
                    assertTrue(
                            acr.state().hasManifest(REPO, child),
                            m.digest() + " names missing " + child);
                }
            }
        }
    }

    @Test
    void aPlanWithNothingChangingDeletesParentsAndChildrenAlike() {
        Report r = apply(plan());

        for (int i : new int[] {1, 2, 3, 4, 5}) {
            assertEquals(Result.DELETED, resultOf(r, i), "manifest " + i);
        }
        assertEquals(Result.UNTAGGED, resultOf(r, 6));
        assertEquals(
                List.of(digest(3), digest(4)),
                r.entries().stream().map(ReportEntry::digest).toList().subList(0, 2),
                "parents before children and referrers");
    }

    @Test
    void aManifestTaggedDuringARetryAfterWaitIsNotDeleted() {
        acr.faults().tagOnFirstDelete(REPO, digest(4), "hotfix-1", Duration.ofSeconds(1));

        Report r = apply(plan());

        assertEquals(Result.CHANGED_DURING_RUN, resultOf(r, 4));
        assertTrue(acr.state().hasManifest(REPO, digest(4)));
        assertTrue(acr.state().tags(REPO).contains("hotfix-1"));
        assertEquals(0, acr.counts().deleteRequests(digest(4)), "the retry was never sent");
        assertEquals(
                Result.CHANGED_DURING_RUN, resultOf(r, 5), "its signature stays with the image");
        assertTrue(acr.state().hasManifest(REPO, digest(5)));
    }

    @Test
    void aTagRePushedOntoANewBuildDuringARetryAfterWaitStaysOnTheNewBuild() {
        seed(manifest(7, List.of(), List.of(), null, null));
        acr.faults().rePushOnFirstUntag(REPO, "old6", digest(7), Duration.ofSeconds(1));

        Report r = apply(plan());

        assertEquals(Result.CHANGED_DURING_RUN, resultOf(r, 6));
        assertTrue(acr.state().tags(REPO).contains("old6"), "the new build keeps its tag");
        assertEquals(0, acr.counts().tagsDeleted());
    }

    @Test
    void anIndexTaggedAsItsChildrenAreAboutToGoNeverNamesAMissingChild() {
        acr.faults()
                .tagIndexWhenChildrenAreTouched(
                        REPO, digest(3), "prod", Set.of(digest(1), digest(2)));

        apply(plan());

        assertNoIndexNamesAMissingChild();
    }

    @Test
    void anIndexTaggedDuringItsRetryAfterWaitKeepsItsChildren() {
        acr.faults().tagOnFirstDelete(REPO, digest(3), "prod", Duration.ofSeconds(1));

        Report r = apply(plan());

        assertEquals(Result.CHANGED_DURING_RUN, resultOf(r, 3));
        assertEquals(Result.CHANGED_DURING_RUN, resultOf(r, 1));
        assertEquals(Result.CHANGED_DURING_RUN, resultOf(r, 2));
        assertEquals(
                0, acr.counts().deleteRequests(digest(1)) + acr.counts().deleteRequests(digest(2)));
        assertNoIndexNamesAMissingChild();
        assertEquals(Result.DELETED, resultOf(r, 4), "unrelated manifests still go");
    }

    @Test
    void anIndexRetaggedBetweenListingAndApplyKeepsItsChildren() {
        Plan plan = plan();
        acr.state().pushTag(REPO, "prod", digest(3), Instant.now().plusSeconds(1));

        Report r = apply(plan);

        assertEquals(Result.CHANGED_DURING_RUN, resultOf(r, 3));
        assertEquals(Result.CHANGED_DURING_RUN, resultOf(r, 1));
        assertEquals(Result.CHANGED_DURING_RUN, resultOf(r, 2));
        assertNoIndexNamesAMissingChild();
    }

    @Test
    void aChildWhoseIndexIsAlreadyGoneIsDeletedByAContinuation() {
        Plan plan = plan();
        Report first = apply(plan);
        seed(manifest(1, List.of(), List.of(), null, null));

        Report again =
                cleaner.apply(
                        new CleanupRequest(
                                "run-1",
                                plan,
                                RepositoryUsage.NONE,
                                Mode.DELETE,
                                List.of(),
                                DeleteBudget.inMemory(100),
                                first.nextIndex() - 4,
                                Instant.now().plusSeconds(60)));

        assertEquals(
                Result.DELETED,
                resultOf(again, 1),
                "its index went in this run: nothing names it any more");
        assertTrue(!acr.state().hasManifest(REPO, digest(1)));
    }

    @Test
    void aDigestTheInventoryUsesIsNeverDeletedWhateverThePlanSays() {
        Report r =
                cleaner.apply(
                        new CleanupRequest(
                                "run-1",
                                plan(),
                                new RepositoryUsage(Set.of(), Set.of(digest(4))),
                                Mode.DELETE,
                                List.of(),
                                DeleteBudget.inMemory(100),
                                0,
                                Instant.now().plusSeconds(60)));

        assertEquals(Result.REFUSED_IN_USE, resultOf(r, 4));
        String error =
                r.entries().stream()
                        .filter(e -> e.digest().equals(digest(4)))
                        .findFirst()
                        .orElseThrow()
                        .error();
        assertTrue(
                error.contains(digest(4)) && error.contains("inventory") && error.contains(REPO),
                error);
        assertEquals(0, acr.counts().deleteRequests(digest(4)));
        assertEquals(Result.CHANGED_DURING_RUN, resultOf(r, 5), "its signature stays with it");
        assertEquals(Result.DELETED, resultOf(r, 3));
    }

    @Test
    void aTagTheInventoryUsesIsNeverRemovedWhateverThePlanSays() {
        Report r =
                cleaner.apply(
                        new CleanupRequest(
                                "run-1",
                                plan(),
                                new RepositoryUsage(Set.of("old6"), Set.of()),
                                Mode.DELETE,
                                List.of(),
                                DeleteBudget.inMemory(100),
                                0,
                                Instant.now().plusSeconds(60)));

        assertEquals(Result.REFUSED_IN_USE, resultOf(r, 6));
        assertTrue(acr.state().tags(REPO).contains("old6"));
        assertEquals(0, acr.counts().tagsDeleted());
    }
}
