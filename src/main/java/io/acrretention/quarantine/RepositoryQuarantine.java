package io.acrretention.quarantine;

import io.acrretention.cleanup.Cleaner;
import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.ReportEntry;
import io.acrretention.log.Log;
import io.acrretention.log.LogLine;
import io.acrretention.registry.Registry;
import io.acrretention.retention.Plan;
import io.acrretention.retention.Quarantined;
import io.acrretention.retention.Reason;
import io.acrretention.retention.RepositoryPolicy;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

/**
 * Quarantine around one repository's plan and apply: the records the planner reads, the cleaner's
 * delete step, and afterwards the records of released manifests (tagged or used again) and of
 * manifests that are gone. Inert when the repository's policy has no quarantine.
 */
public final class RepositoryQuarantine {
    private static final Log LOG = Log.of(RepositoryQuarantine.class);

    private final RepositoryPolicy policy;
    private final QuarantineStore store;
    private final Registry registry;
    private final String repository;
    private final String runId;
    private final Clock clock;

    public RepositoryQuarantine(
            RepositoryPolicy policy,
            QuarantineStore store,
            Registry registry,
            String repository,
            String runId,
            Clock clock) {
        this.policy = policy;
        this.store = store;
        this.registry = registry;
        this.repository = repository;
        this.runId = runId;
        this.clock = clock;
    }

    /**
     * The repository's records for the planner; none when quarantine is off (they are then
     * ignored).
     */
    public Quarantined view() {
        return policy.quarantines()
                ? store.view(registry.loginServer(), repository)
                : Quarantined.NONE;
    }

    public Cleaner cleaner(Cleaner base) {
        return policy.quarantines()
                ? base.withDeleteStep(new QuarantineStep(registry, repository, store, runId, clock))
                : base;
    }

    /**
     * A workload asks for a tag this quarantine removed (the scream test): the manifest must not go
     * while it is wanted, so its grace starts again from now, in any mode (that only ever delays a
     * delete), and the log says how to restore it.
     */
    private void stillAskedFor(ReportEntry e) {
        String login = registry.loginServer();
        store.get(login, repository, e.digest())
                .ifPresent(
                        r ->
                                store.put(
                                        new QuarantineRecord(
                                                r.version(),
                                                r.registry(),
                                                r.repository(),
                                                r.digest(),
                                                r.tags(),
                                                r.runId(),
                                                clock.instant(),
                                                r.sizeBytes(),
                                                r.reasons())));
        LOG.warn(
                () ->
                        LogLine.of(
                                runId,
                                login,
                                repository,
                                e.digest()
                                        + " is quarantined but a workload asks for one of its removed tags: restore it (acr-retention"
                                        + " restore --digest "
                                        + e.digest()
                                        + " --mode apply); its grace starts again"));
    }

    /**
     * After a writing apply: removes the records of released manifests, and of manifests no longer
     * listed at all (deleted by someone else: nothing is left to restore). A manifest a workload
     * asks for by a tag the quarantine removed starts its grace again.
     *
     * @param firstPart true for the invocation that planned (a continuation sees only part of the
     *     plan)
     */
    public void afterApply(Plan plan, Report report, boolean writes, boolean firstPart) {
        if (!policy.quarantines()) {
            return;
        }
        String login = registry.loginServer();
        for (ReportEntry e : report.entries()) {
            if (e.reasons().contains(Reason.QUARANTINED) && e.reasons().contains(Reason.USED)) {
                stillAskedFor(e);
            }
            if (writes && e.reasons().contains(Reason.RELEASED)) {
                store.get(login, repository, e.digest())
                        .ifPresent(
                                r -> {
                                    store.remove(login, repository, e.digest());
                                    LOG.info(
                                            () ->
                                                    LogLine.of(
                                                            runId,
                                                            login,
                                                            repository,
                                                            e.digest()
                                                                    + " released from quarantine (tagged or used again); it had been untagged"
                                                                    + " by run "
                                                                    + r.runId()
                                                                    + " from "
                                                                    + String.join(", ", r.tags())));
                                });
            }
        }
        if (writes && firstPart) {
            Set<String> listed = new HashSet<>();
            plan.decisions().forEach(d -> listed.add(d.digest()));
            for (QuarantineRecord r : store.ofRepository(login, repository)) {
                if (!listed.contains(r.digest())
                        && registry.refresh(repository, r.digest()).isEmpty()) {
                    store.remove(login, repository, r.digest());
                    LOG.info(
                            () ->
                                    LogLine.of(
                                            runId,
                                            login,
                                            repository,
                                            r.digest()
                                                    + " is gone from the registry: its quarantine record is removed"));
                }
            }
        }
    }
}
