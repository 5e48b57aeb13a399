package io.acrretention.cleanup;

import static io.acrretention.cleanup.Plans.decide;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.registry.Manifest;
import io.acrretention.registry.Tag;
import io.acrretention.registry.acr.AcrRegistry;
import io.acrretention.retention.Action;
import io.acrretention.retention.Decision;
import io.acrretention.retention.Mode;
import io.acrretention.retention.Plan;
import io.acrretention.retention.Withheld;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.acr.AcrEmulator;
import io.acrretention.usage.RepositoryUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cleaner with the real SDK adapter against the loopback ACR emulator. */
class CleanerContractIT {
    static final String LOGIN = "mactemp.azurecr.io";
    static final String REPO = "app/api";
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    static TestCertificates certs;
    AcrEmulator acr;
    AcrRegistry registry;
    Cleaner cleaner;

    @BeforeAll
    static void certificates() {
        certs = TestCertificates.create("cleaner-test-ca");
    }

    @BeforeEach
    void start() {
        acr = AcrEmulator.start(certs, LOGIN, "aad").pageSize(3);
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
        // 0 and 1 are kept; 2..7 go; 8 loses one of its two tags.
        for (int i = 0; i < 9; i++) {
            acr.state().put(REPO, manifest(i, i % 3 == 0 ? List.of("v" + i) : List.of()));
        }
        acr.state().put(REPO, manifest(8, List.of("keep8", "old8")));
    }

    @AfterEach
    void stop() {
        acr.close();
    }

    static String digest(int i) {
        return "sha256:" + String.format("%064x", i);
    }

    static Manifest manifest(int i, List<String> tags) {
        Instant t = T0.plusSeconds(i);
        return new Manifest(
                digest(i),
                null,
                100 + i,
                t,
                t,
                true,
                true,
                tags.stream().map(n -> new Tag(n, digest(i), t, t, true, true)).toList(),
                List.of(),
                null);
    }

    Plan plan() {
        List<Decision> ds = new ArrayList<>();
        for (Manifest m : registry.artifacts(REPO).manifests()) {
            int i = Integer.parseInt(m.digest().substring(7), 16);
            Action a = i < 2 ? Action.KEEP : i == 8 ? Action.UNTAG : Action.DELETE;
            ds.add(decide(m, a, a == Action.UNTAG ? List.of("old8") : List.of()));
        }
        return new Plan(LOGIN, REPO, Instant.now(), ds);
    }

    Report apply(Plan plan, Mode mode, DeleteBudget budget) {
        return cleaner.apply(
                new CleanupRequest(
                        "run-1",
                        plan,
                        RepositoryUsage.NONE,
                        mode,
                        List.of(),
                        budget,
                        0,
                        Instant.now().plusSeconds(60)));
    }

    static long count(Report r, Result result) {
        return r.entries().stream().filter(e -> e.result() == result).count();
    }

    static Result resultOf(Report r, int i) {
        return r.entries().stream()
                .filter(e -> e.digest().equals(digest(i)))
                .findFirst()
                .orElseThrow()
                .result();
    }

    @Test
    void deletesAndUntagsLandAndKeptManifestsStay() {
        Report r = apply(plan(), Mode.DELETE, DeleteBudget.inMemory(100));

        assertTrue(r.complete());
        assertEquals(6, count(r, Result.DELETED));
        assertEquals(Result.UNTAGGED, resultOf(r, 8));
        assertEquals(2, count(r, Result.KEPT));
        assertTrue(
                acr.state().hasManifest(REPO, digest(0))
                        && acr.state().hasManifest(REPO, digest(8)));
        assertEquals(List.of("keep8", "v0"), acr.state().tags(REPO));
        assertEquals(0, acr.counts().duplicateDeletes());
        for (int i = 2; i < 8; i++) {
            assertTrue(!acr.state().hasManifest(REPO, digest(i)), "deleted " + i);
        }
        assertEquals(
                6 * 100 + 2 + 3 + 4 + 5 + 6 + 7,
                r.totals().bytesReclaimed(),
                r.entries().toString());
    }

    @Test
    void dryRunLeavesTheRegistryUnchangedAndReportsWhatDeleteWouldDo() {
        Plan plan = plan();
        String before = acr.state().snapshot();
        long reads = acr.counts().reads();

        Report dry = apply(plan, Mode.DRY_RUN, DeleteBudget.inMemory(100));

        assertEquals(before, acr.state().snapshot());
        assertEquals(0, acr.counts().writes());
        assertEquals(reads, acr.counts().reads());
        assertEquals(Mode.DRY_RUN, dry.mode());
        assertEquals(7, count(dry, Result.PLANNED));

        Report real = apply(plan, Mode.DELETE, DeleteBudget.inMemory(100));
        assertEquals(
                real.entries().stream().map(Plans::withoutResult).toList(),
                dry.entries().stream().map(Plans::withoutResult).toList());
        assertEquals(real.totals().manifests(), dry.totals().manifests());
        assertEquals(real.totals().bytes(), dry.totals().bytes());
    }

    @Test
    void aWithheldDeletionWritesNothingAndSaysWhy() {
        String before = acr.state().snapshot();
        Withheld why =
                new Withheld(Withheld.Cause.INVENTORY_INCOMPLETE, "cluster prod did not answer");
        Report r =
                cleaner.apply(
                        new CleanupRequest(
                                "run-1",
                                plan(),
                                RepositoryUsage.NONE,
                                Mode.DELETE,
                                List.of(why),
                                DeleteBudget.inMemory(100),
                                0,
                                Instant.now().plusSeconds(60)));

        assertEquals(before, acr.state().snapshot());
        assertEquals(0, acr.counts().writes());
        assertEquals(Mode.DRY_RUN, r.mode());
        assertEquals(List.of(why), r.withheld());
    }

    @Test
    void applyingThePlanTwiceDeletesNothingTheSecondTime() {
        Plan plan = plan();
        apply(plan, Mode.DELETE, DeleteBudget.inMemory(100));
        long writes = acr.counts().writes();

        Report again = apply(plan, Mode.DELETE, DeleteBudget.inMemory(100));

        assertEquals(6, count(again, Result.ALREADY_GONE));
        assertEquals(0, count(again, Result.FAILED));
        assertEquals(
                Result.CHANGED_DURING_RUN, resultOf(again, 8), "old8 is gone, so it is left alone");
        assertEquals(writes, acr.counts().writes());
    }

    @Test
    void aLockedManifestIsReportedLockedAndNotDeleted() {
        Plan plan = plan();
        Manifest m = manifest(2, List.of());
        acr.state()
                .put(
                        REPO,
                        new Manifest(
                                m.digest(),
                                null,
                                m.sizeBytes(),
                                m.createdTime(),
                                m.lastUpdateTime(),
                                false,
                                true,
                                List.of(),
                                List.of(),
                                null));

        Report r = apply(plan, Mode.DELETE, DeleteBudget.inMemory(100));

        assertEquals(Result.LOCKED, resultOf(r, 2));
        assertEquals(0, acr.counts().deleteRequests(digest(2)));
        assertTrue(acr.state().hasManifest(REPO, digest(2)));
    }

    @Test
    void aRepositoryLockedDuringTheRunIsRefusedByTheRegistryAndReportedLocked() {
        Plan plan = plan();
        acr.state().lockRepository(REPO, false, true);

        Report r = apply(plan, Mode.DELETE, DeleteBudget.inMemory(100));

        for (int i = 2; i < 8; i++) {
            assertEquals(Result.LOCKED, resultOf(r, i));
            assertTrue(acr.state().hasManifest(REPO, digest(i)));
        }
        assertEquals(Result.LOCKED, resultOf(r, 8));
        assertEquals(0, acr.counts().manifestsDeleted() + acr.counts().tagsDeleted());
    }

    @Test
    void aThrottlingStormIsAbsorbedWithoutAFailedDelete() {
        Plan plan = plan();
        acr.faults().throttleNext(6, Duration.ofSeconds(1));

        Report r = apply(plan, Mode.DELETE, DeleteBudget.inMemory(100));

        assertEquals(0, count(r, Result.FAILED));
        assertEquals(6, count(r, Result.DELETED));
        assertTrue(acr.counts().throttled() >= 6);
    }

    @Test
    void aServerErrorOnOneDeleteFailsThatEntryOnly() {
        Plan plan = plan();
        acr.faults().failDeletes(digest(4), 500);

        Report r = apply(plan, Mode.DELETE, DeleteBudget.inMemory(100));

        assertEquals(Result.FAILED, resultOf(r, 4));
        String error =
                r.entries().stream()
                        .filter(e -> e.digest().equals(digest(4)))
                        .findFirst()
                        .orElseThrow()
                        .error();
        assertNotNull(error);
        assertTrue(
                error.startsWith(
                        "delete manifest "
                                + digest(4)
                                + " in app/api on "
                                + LOGIN
                                + " failed: 500"),
                error);
        assertEquals(5, count(r, Result.DELETED));
    }

    @Test
    void aTagRePushedBetweenListingAndDeleteIsNotLost() {
        Plan plan = plan();
        acr.faults()
                .onRequest(
                        (method, path) -> {
                            if (method.equals("GET") && path.contains("_manifests/" + digest(3))) {
                                acr.state().pushTag(REPO, "hotfix", digest(3), Instant.now());
                            }
                            if (method.equals("GET") && path.contains("_manifests/" + digest(6))) {
                                acr.state().pushTag(REPO, "v6", digest(6), Instant.now());
                            }
                        });

        Report r = apply(plan, Mode.DELETE, DeleteBudget.inMemory(100));

        assertEquals(Result.CHANGED_DURING_RUN, resultOf(r, 3));
        assertEquals(
                Result.CHANGED_DURING_RUN, resultOf(r, 6), "same tag, same digest, pushed again");
        assertTrue(
                acr.state().hasManifest(REPO, digest(3))
                        && acr.state().hasManifest(REPO, digest(6)));
        assertEquals(
                0, acr.counts().deleteRequests(digest(3)) + acr.counts().deleteRequests(digest(6)));
    }

    @Test
    void theDeleteCapSkipsEveryWriteAfterIt() {
        Plan plan = plan();
        Report r = apply(plan, Mode.DELETE, DeleteBudget.inMemory(3));

        long done = count(r, Result.DELETED) + (resultOf(r, 8) == Result.UNTAGGED ? 1 : 0);
        assertEquals(3, done);
        assertEquals(4, count(r, Result.SKIPPED_CAP));
        assertEquals(3, acr.counts().writes());
    }
}
