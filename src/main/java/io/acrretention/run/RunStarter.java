package io.acrretention.run;

import io.acrretention.config.RegistryConfig;
import io.acrretention.config.RetentionConfig;
import io.acrretention.inventory.InventoryCollector;
import io.acrretention.log.Log;
import io.acrretention.log.LogLine;
import io.acrretention.registry.PullLogException;
import io.acrretention.registry.PullLogs;
import io.acrretention.registry.RecentPulls;
import io.acrretention.registry.Registry;
import io.acrretention.registry.RegistryException;
import io.acrretention.retention.Guards;
import io.acrretention.retention.Mode;
import io.acrretention.retention.Withheld;
import io.acrretention.usage.UsedImages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a run (docs/architecture.md, the flow): collects the inventory, writes it, checks the
 * guards, lists the repositories of every registry in scope and returns one message per repository.
 * The caller enqueues them (the functions) or works through them (the command line). Nothing here
 * deletes.
 */
public final class RunStarter {
    private static final Log LOG = Log.of(RunStarter.class);

    private final RetentionConfig config;
    private final Map<String, Registry> registries;
    private final InventoryCollector collector;
    private final RunDocuments documents;
    private final PullLogs pullLogs;
    private final Clock clock;

    public RunStarter(
            RetentionConfig config,
            Map<String, Registry> registries,
            InventoryCollector collector,
            RunDocuments documents,
            Clock clock) {
        this(config, registries, collector, PullLogs.NONE, documents, clock);
    }

    public RunStarter(
            RetentionConfig config,
            Map<String, Registry> registries,
            InventoryCollector collector,
            PullLogs pullLogs,
            RunDocuments documents,
            Clock clock) {
        this.pullLogs = pullLogs;
        this.config = config;
        this.registries = Map.copyOf(registries);
        this.collector = collector;
        this.documents = documents;
        this.clock = clock;
    }

    public StartedRun start(String runId, String trigger, RunSelection scope) {
        Instant startedAt = clock.instant();
        LOG.info(() -> LogLine.of(runId, null, null, "run started by " + trigger));
        if (config.policy().quarantinesAnywhere()) {
            // Reading the registry's own policy needs Azure Resource Manager rights this app does
            // not hold.
            LOG.warn(
                    () ->
                            LogLine.of(
                                    runId,
                                    null,
                                    null,
                                    "quarantine is on: if a registry's own retention"
                                            + " policy for untagged manifests is enabled, it deletes quarantined manifests before their grace"
                                            + " ends and they cannot be restored (az acr config retention show --registry NAME)"));
        }
        // The last trusted run's count goes into this run's inventory: every repository checks the
        // same drop.
        UsedImages inventory = documents.withBaseline(withRecentPulls(collector.collect(runId)));
        List<Withheld> withheld = Guards.check(inventory, config.policy(), clock.instant());
        String inventoryPath =
                documents.saveInventory(inventory, Guards.trustedAsBaseline(withheld));
        inventory
                .clusters()
                .forEach(
                        c ->
                                LOG.info(
                                        () ->
                                                LogLine.of(
                                                        runId,
                                                        null,
                                                        null,
                                                        "cluster "
                                                                + c.name()
                                                                + ": "
                                                                + c.status()
                                                                + ", "
                                                                + c.images()
                                                                + " images in "
                                                                + c.durationMs()
                                                                + " ms"
                                                                + (c.error() == null
                                                                        ? ""
                                                                        : ", " + c.error())
                                                                + (c.notInstalled().isEmpty()
                                                                        ? ""
                                                                        : ", not installed: "
                                                                                + String.join(
                                                                                        ", ",
                                                                                        c
                                                                                                .notInstalled())))));
        withheld.forEach(
                w ->
                        LOG.warn(
                                () ->
                                        LogLine.of(
                                                runId,
                                                null,
                                                null,
                                                "deletion withheld: " + w.message())));

        List<RunRecord.RepositoryRef> repositories = new ArrayList<>();
        List<RepositoryMessage> messages = new ArrayList<>();
        List<String> listingErrors = new ArrayList<>();
        for (RegistryConfig rc : config.registries()) {
            if (!scope.includesRegistry(rc.loginServer())) {
                continue;
            }
            List<String> names;
            try {
                names = registries.get(rc.loginServer()).repositories();
            } catch (RegistryException e) {
                listingErrors.add(rc.loginServer() + ": " + e.getMessage());
                LOG.error(
                        () ->
                                LogLine.of(
                                        runId,
                                        rc.loginServer(),
                                        null,
                                        "cannot list repositories: " + e.getMessage()));
                continue;
            }
            for (String repository : names) {
                if (!config.policy().selects(repository) || !scope.includesRepository(repository)) {
                    continue;
                }
                Mode mode = scope.narrow(config.policy().forRepository(repository).mode());
                repositories.add(new RunRecord.RepositoryRef(rc.loginServer(), repository));
                messages.add(
                        new RepositoryMessage(
                                RepositoryMessage.VERSION,
                                runId,
                                rc.loginServer(),
                                repository,
                                inventoryPath,
                                mode));
            }
        }
        RunMode runMode =
                RunMode.of(
                        messages.stream().map(RepositoryMessage::mode).toList(),
                        scope.narrow(config.policy().base().mode()));
        RunRecord record =
                new RunRecord(
                        runId,
                        startedAt,
                        trigger,
                        runMode,
                        inventoryPath,
                        withheld,
                        repositories,
                        listingErrors);
        documents.saveRecord(record);
        LOG.info(
                () ->
                        LogLine.of(
                                runId,
                                null,
                                null,
                                messages.size()
                                        + " repositories to process, mode "
                                        + runMode.json()));
        return new StartedRun(record, inventory, messages);
    }

    /**
     * Adds each registry's recent pulls to the inventory when some repository keeps by pulls. A
     * registry whose logs cannot be read is recorded as unreadable, and the guards withhold
     * deletion for the run.
     */
    private UsedImages withRecentPulls(UsedImages inventory) {
        Duration window = config.policy().pullWindow().orElse(null);
        if (window == null) {
            return inventory;
        }
        Instant until = inventory.collectedAt();
        Instant since = until.minus(window);
        List<RecentPulls> pulls = new ArrayList<>();
        for (RegistryConfig rc : config.registries()) {
            try {
                RecentPulls read = pullLogs.lastPulls(rc.loginServer(), since, until);
                pulls.add(read);
                LOG.info(
                        () ->
                                LogLine.of(
                                        inventory.runId(),
                                        rc.loginServer(),
                                        null,
                                        "pull logs: "
                                                + read.pulls().size()
                                                + " images pulled since "
                                                + since));
            } catch (PullLogException e) {
                pulls.add(RecentPulls.unreadable(rc.loginServer(), since, e.getMessage()));
                LOG.error(
                        () ->
                                LogLine.of(
                                        inventory.runId(), rc.loginServer(), null, e.getMessage()));
            }
        }
        return inventory.withPulls(pulls);
    }
}
