package io.acrretention.quarantine;

import static io.acrretention.quarantine.QuarantineFixture.LOGIN;
import static io.acrretention.quarantine.QuarantineFixture.REPO;
import static io.acrretention.quarantine.QuarantineFixture.digest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.ReportEntry;
import io.acrretention.cleanup.Result;
import io.acrretention.registry.Registry;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.retention.Reason;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Quarantine, expiry, release and restore end to end: the real SDK over HTTPS to the ACR emulator,
 * records and reports in Azurite, the queue function's processor, days simulated by the clock.
 */
class QuarantineEndToEndIT {
    static final String OLD = digest("old");
    static final String NEW = digest("new");
    QuarantineFixture f;

    @BeforeEach
    void seed() {
        f = new QuarantineFixture();
        f.image("new", 1, "2.0").image("old", 100, "1.0", "1.0-final");
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private static ReportEntry entry(Report r, String digest) {
        return r.entries().stream()
                .filter(e -> e.digest().equals(digest))
                .findFirst()
                .orElseThrow();
    }

    private void quarantineOld() {
        Report first = f.run(LOGIN + "/app/api:2.0");
        assertEquals(Result.QUARANTINED, entry(first, OLD).result());
        assertEquals(
                List.of(),
                f.acr.state().tags(REPO).stream().filter(t -> t.startsWith("1.0")).toList());
        assertTrue(f.acr.state().hasManifest(REPO, OLD), "pulls by digest keep working");
        assertEquals(
                List.of("1.0", "1.0-final"), f.records.get(LOGIN, REPO, OLD).orElseThrow().tags());
    }

    @Test
    void aQuarantineThenARestoreBringsBackEveryTagAtTheSameDigest() {
        quarantineOld();
        String runId = f.records.get(LOGIN, REPO, OLD).orElseThrow().runId();

        RestoreReport dry = f.restorer().restore(new RestoreRequest(runId, List.of(), null, false));
        assertEquals(RestoreReport.Result.PLANNED, dry.entries().get(0).result());
        assertEquals(null, f.acr.state().digestOf(REPO, "1.0"), "a dry run pushes nothing");

        RestoreReport applied =
                f.restorer().restore(new RestoreRequest(runId, List.of(), "app/**", true));
        assertEquals(1, applied.totals().restored());
        assertEquals(1000, applied.totals().restoredBytes());
        assertEquals(OLD, f.acr.state().digestOf(REPO, "1.0"));
        assertEquals(OLD, f.acr.state().digestOf(REPO, "1.0-final"));
        assertEquals(
                List.of(NEW, OLD).stream().sorted().toList(),
                f.acr.state().manifestsOf(REPO),
                "no new manifest: the same bytes under the old tags");
        assertEquals(Optional.empty(), f.records.get(LOGIN, REPO, OLD));
    }

    @Test
    void aQuarantinedManifestIsDeletedOnlyOnceTheGraceHasPassed() {
        quarantineOld();
        f.day(13);
        Report during = f.run(LOGIN + "/app/api:2.0");
        assertEquals(Result.KEPT, entry(during, OLD).result());
        assertTrue(entry(during, OLD).reasons().contains(Reason.QUARANTINED));
        assertTrue(f.acr.state().hasManifest(REPO, OLD));

        f.day(14.1);
        Report after = f.run(LOGIN + "/app/api:2.0");
        assertEquals(Result.DELETED, entry(after, OLD).result());
        assertEquals(List.of(Reason.QUARANTINE_EXPIRED), entry(after, OLD).reasons());
        assertEquals(1, after.totals().quarantine().expired());
        assertFalse(f.acr.state().hasManifest(REPO, OLD));
        assertEquals(Optional.empty(), f.records.get(LOGIN, REPO, OLD));
    }

    @Test
    void aQuarantinedManifestThatSomeoneTagsAgainIsReleasedAndNeverDeleted() {
        quarantineOld();
        f.day(2);
        f.acr.state().pushTag(REPO, "hotfix", OLD, f.now);
        f.day(20);
        Report released = f.run(LOGIN + "/app/api:2.0");
        assertTrue(
                entry(released, OLD).reasons().contains(Reason.RELEASED),
                entry(released, OLD).toString());
        assertEquals(1, released.totals().quarantine().released());
        assertEquals(Optional.empty(), f.records.get(LOGIN, REPO, OLD));
        assertTrue(f.acr.state().hasManifest(REPO, OLD));
        assertEquals(OLD, f.acr.state().digestOf(REPO, "hotfix"));
    }

    @Test
    void aQuarantinedManifestUsedByDigestAgainIsReleasedAndNeverDeleted() {
        quarantineOld();
        f.day(20);
        Report released = f.run(LOGIN + "/app/api:2.0", LOGIN + "/app/api@" + OLD);
        assertEquals(Result.KEPT, entry(released, OLD).result());
        assertTrue(
                entry(released, OLD).reasons().containsAll(List.of(Reason.USED, Reason.RELEASED)));
        assertEquals(Optional.empty(), f.records.get(LOGIN, REPO, OLD));
        assertTrue(f.acr.state().hasManifest(REPO, OLD));
    }

    @Test
    void aQuarantinedManifestAskedForByARemovedTagStaysQuarantinedAndIsNeverDeleted() {
        quarantineOld();
        f.day(30);
        Report held = f.run(LOGIN + "/app/api:2.0", LOGIN + "/app/api:1.0");
        assertTrue(
                entry(held, OLD).reasons().containsAll(List.of(Reason.USED, Reason.QUARANTINED)));
        assertTrue(f.acr.state().hasManifest(REPO, OLD));
        assertEquals(
                List.of("1.0", "1.0-final"),
                f.records.get(LOGIN, REPO, OLD).orElseThrow().tags(),
                "the record stays, so the tags can be restored");

        // Its grace starts again from the last time it was asked for (found by
        // QuarantineProperties).
        f.day(31);
        assertEquals(Result.KEPT, entry(f.run(LOGIN + "/app/api:2.0"), OLD).result());
        f.day(44.1);
        assertEquals(Result.DELETED, entry(f.run(LOGIN + "/app/api:2.0"), OLD).result());
    }

    @Test
    void aCrashBetweenTheRecordAndTheUntagLosesNothing() {
        assertThrows(RuntimeException.class, () -> f.run(crashOnUntag(1), LOGIN + "/app/api:2.0"));
        assertEquals(
                List.of("1.0", "1.0-final"), f.records.get(LOGIN, REPO, OLD).orElseThrow().tags());
        assertEquals(
                OLD, f.acr.state().digestOf(REPO, "1.0"), "nothing was untagged before the crash");
        assertEquals(OLD, f.acr.state().digestOf(REPO, "1.0-final"));

        // Crash again after the first tag was removed: the next record still names both tags.
        f.day(1);
        assertThrows(RuntimeException.class, () -> f.run(crashOnUntag(2), LOGIN + "/app/api:2.0"));
        assertEquals(null, f.acr.state().digestOf(REPO, "1.0"));
        assertEquals(
                List.of("1.0", "1.0-final"), f.records.get(LOGIN, REPO, OLD).orElseThrow().tags());

        f.day(2);
        Report finished = f.run(LOGIN + "/app/api:2.0");
        assertEquals(Result.QUARANTINED, entry(finished, OLD).result());
        assertEquals(
                List.of("1.0", "1.0-final"), f.records.get(LOGIN, REPO, OLD).orElseThrow().tags());
        f.restorer().restore(new RestoreRequest(null, List.of(OLD), null, true));
        assertEquals(OLD, f.acr.state().digestOf(REPO, "1.0"));
        assertEquals(OLD, f.acr.state().digestOf(REPO, "1.0-final"));
    }

    @Test
    void aRestoreLeavesATagThatWasPushedElsewhereMeanwhileAlone() {
        quarantineOld();
        f.acr.state().pushTag(REPO, "1.0", NEW, f.now);
        RestoreReport r = f.restorer().restore(new RestoreRequest(null, List.of(OLD), null, true));
        assertEquals(
                Map.of("1.0", "tag-taken", "1.0-final", "restored"), r.entries().get(0).tags());
        assertEquals(1, r.totals().tagsTaken());
        assertEquals(NEW, f.acr.state().digestOf(REPO, "1.0"));
        assertEquals(OLD, f.acr.state().digestOf(REPO, "1.0-final"));
        assertEquals(Optional.empty(), f.records.get(LOGIN, REPO, OLD));
    }

    /**
     * The registry as seen by a process that dies on its {@code n}-th untag, after the record was
     * written.
     */
    private static java.util.function.UnaryOperator<Registry> crashOnUntag(int n) {
        return inner ->
                new Registry() {
                    private final AtomicInteger untags = new AtomicInteger();

                    public String loginServer() {
                        return inner.loginServer();
                    }

                    public List<String> repositories() {
                        return inner.repositories();
                    }

                    public RepositoryArtifacts artifacts(String repository) {
                        return inner.artifacts(repository);
                    }

                    public Optional<io.acrretention.registry.Manifest> refresh(
                            String repository, String digest) {
                        return inner.refresh(repository, digest);
                    }

                    // The planner keeps what it cannot read a subject of: the wrapper must read as
                    // the registry does.
                    public java.util.Map<String, Optional<String>> subjects(
                            String repository, java.util.Collection<String> digests) {
                        return inner.subjects(repository, digests);
                    }

                    public DeleteOutcome deleteManifest(String repository, String digest) {
                        return inner.deleteManifest(repository, digest);
                    }

                    public DeleteOutcome untag(String repository, String tag) {
                        if (untags.incrementAndGet() == n) {
                            throw new ProcessDied();
                        }
                        return inner.untag(repository, tag);
                    }
                };
    }

    /**
     * An Error, not an exception: nothing in the cleaner may catch it, as nothing survives a dead
     * process.
     */
    static final class ProcessDied extends Error {
        ProcessDied() {
            super("the process died here");
        }
    }
}
