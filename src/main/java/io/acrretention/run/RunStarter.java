package io.acrretention.run;

import io.acrretention.config.RegistryConfig;
import io.acrretention.config.RetentionConfig;
import io.acrretention.inventory.InventoryCollector;
import io.acrretention.inventory.UsedImages;
import io.acrretention.registry.Registry;
import io.acrretention.registry.RegistryException;
import io.acrretention.retention.Guards;
import io.acrretention.retention.Mode;
import io.acrretention.retention.Withheld;
import io.acrretention.store.DocumentStore;
import io.acrretention.store.InventoryStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Starts a run (DESIGN.md, steps 1 to 5): collects the inventory, writes it, checks the guards, lists the
 * repositories of every registry in scope and returns one message per repository. The caller enqueues them
 * (the functions) or works through them (the command line). Nothing here deletes.
 */
public final class RunStarter {
    private static final Logger LOG = Logger.getLogger(RunStarter.class.getName());

    private final RetentionConfig config;
    private final Map<String, Registry> registries;
    private final InventoryCollector collector;
    private final InventoryStore inventories;
    private final DocumentStore store;
    private final Clock clock;

    public RunStarter(RetentionConfig config, Map<String, Registry> registries, InventoryCollector collector,
                      InventoryStore inventories, DocumentStore store, Clock clock) {
        this.config = config;
        this.registries = Map.copyOf(registries);
        this.collector = collector;
        this.inventories = inventories;
        this.store = store;
        this.clock = clock;
    }

    public StartedRun start(String runId, String trigger, RunScope scope) {
        Instant startedAt = clock.instant();
        LOG.info(() -> RunLog.line(runId, null, null, "run started by " + trigger));
        if (config.policy().quarantines()
                || config.policy().overrides().stream().anyMatch(o -> o.policy().quarantines())) {
            // Reading the registry's own policy needs Azure Resource Manager rights this app does not hold.
            LOG.warning(() -> RunLog.line(runId, null, null, "quarantine is on: if a registry's own retention"
                    + " policy for untagged manifests is enabled, it deletes quarantined manifests before their grace"
                    + " ends and they cannot be restored (az acr config retention show --registry NAME)"));
        }
        UsedImages inventory = collector.collect(runId);
        String inventoryPath = inventories.write(inventory);
        inventory.clusters().forEach(c -> LOG.info(() -> RunLog.line(runId, null, null, "cluster " + c.name() + ": "
                + c.status() + ", " + c.images() + " images in " + c.durationMs() + " ms"
                + (c.error() == null ? "" : ", " + c.error()))));
        List<Withheld> withheld = Guards.check(inventory, config.policy(), clock.instant());
        withheld.forEach(w -> LOG.warning(() -> RunLog.line(runId, null, null, "deletion withheld: " + w.message())));

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
                LOG.severe(() -> RunLog.line(runId, rc.loginServer(), null, "cannot list repositories: " + e.getMessage()));
                continue;
            }
            for (String repository : names) {
                if (!config.policy().selects(repository) || !scope.includesRepository(repository)) {
                    continue;
                }
                Mode mode = scope.narrow(config.policy().forRepository(repository).mode());
                repositories.add(new RunRecord.RepositoryRef(rc.loginServer(), repository));
                messages.add(new RepositoryMessage(RepositoryMessage.VERSION, runId, rc.loginServer(), repository,
                        inventoryPath, mode, 0));
            }
        }
        Mode runMode = scope.narrow(config.policy().mode());
        RunRecord record = new RunRecord(runId, startedAt, trigger, runMode, inventoryPath, withheld, repositories,
                listingErrors);
        store.put(ReportPaths.run(runId), Documents.toJson(record));
        LOG.info(() -> RunLog.line(runId, null, null, messages.size() + " repositories to process, mode " + runMode.json()));
        return new StartedRun(record, inventory, messages);
    }
}
