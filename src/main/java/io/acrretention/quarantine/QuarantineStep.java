package io.acrretention.quarantine;

import io.acrretention.cleanup.DeleteStep;
import io.acrretention.cleanup.Result;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.Registry;
import io.acrretention.registry.Tag;
import io.acrretention.retention.Decision;
import io.acrretention.retention.Reason;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A planned delete with quarantine on (docs/quarantine.md). A manifest whose quarantine expired is
 * deleted and its record removed. Any other is quarantined: the record is written first, then each
 * tag is re-read and removed, so a crash in between leaves a record of tags that are all still
 * there, never a removed tag without a record. A record left from an earlier, unfinished quarantine
 * keeps its tags: the new record lists both, so no removed tag is ever forgotten.
 */
public final class QuarantineStep implements DeleteStep {
    private final Registry registry;
    private final String repository;
    private final QuarantineStore store;
    private final String runId;
    private final Clock clock;

    public QuarantineStep(
            Registry registry,
            String repository,
            QuarantineStore store,
            String runId,
            Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.store = Objects.requireNonNull(store, "store");
        this.runId = Objects.requireNonNull(runId, "runId");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Result apply(Decision d, Manifest current, Retry retry) {
        if (d.reasons().contains(Reason.QUARANTINE_EXPIRED)) {
            return expire(d, current, retry);
        }
        String login = registry.loginServer();
        Set<String> tags = new LinkedHashSet<>();
        store.get(login, repository, d.digest()).ifPresent(old -> tags.addAll(old.tags()));
        tags.addAll(current.tagNames());
        store.put(
                new QuarantineRecord(
                        QuarantineRecord.VERSION,
                        login,
                        repository,
                        d.digest(),
                        tags.stream().toList(),
                        runId,
                        clock.instant(),
                        d.sizeBytes(),
                        d.reasons()));
        for (Tag expected : current.tags()) {
            Optional<Manifest> now = retry.call(() -> registry.refresh(repository, d.digest()));
            Tag t =
                    now.flatMap(
                                    m ->
                                            m.tags().stream()
                                                    .filter(x -> x.name().equals(expected.name()))
                                                    .findFirst())
                            .orElse(null);
            if (t == null || !Objects.equals(t.lastUpdateTime(), expected.lastUpdateTime())) {
                // Moved or re-pushed since the cleaner read it: leave it; the record keeps what was
                // planned, and
                // the next run releases the manifest or quarantines it again.
                return Result.CHANGED_DURING_RUN;
            }
            if (t.locked()) {
                return Result.LOCKED;
            }
            retry.call(() -> registry.untag(repository, expected.name()));
        }
        return Result.QUARANTINED;
    }

    /**
     * Still untagged is already checked by the cleaner (the plan listed no tags, the re-read found
     * none).
     */
    private Result expire(Decision d, Manifest current, Retry retry) {
        if (!current.untagged()) {
            return Result.CHANGED_DURING_RUN;
        }
        Registry.DeleteOutcome outcome =
                retry.call(() -> registry.deleteManifest(repository, d.digest()));
        store.remove(registry.loginServer(), repository, d.digest());
        return outcome == Registry.DeleteOutcome.DELETED ? Result.DELETED : Result.ALREADY_GONE;
    }
}
