package io.acrretention.wiring;

import com.azure.core.credential.TokenCredential;
import io.acrretention.cleanup.Cleaner;
import io.acrretention.cleanup.DeleteBudget;
import io.acrretention.config.RetentionConfig;
import io.acrretention.inventory.InventoryCollector;
import io.acrretention.inventory.kubernetes.ArmEndpoint;
import io.acrretention.quarantine.Restorer;
import io.acrretention.registry.PullLogs;
import io.acrretention.registry.Registry;
import io.acrretention.report.RunPages;
import io.acrretention.run.InventoryCache;
import io.acrretention.run.LocalRun;
import io.acrretention.run.RepositoryProcessor;
import io.acrretention.run.RunDocuments;
import io.acrretention.run.RunStarter;
import io.acrretention.run.RunStatusReader;
import io.acrretention.run.RunVerifier;
import io.acrretention.store.DocumentStore;
import io.acrretention.store.LocalDocumentStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;

/**
 * The command line's composition root: a run, a restore and the run page over a local folder,
 * against the registries and clusters a configuration names, with the credential the user chose
 * ({@link Credentials}).
 */
public final class LocalRuns {
    private LocalRuns() {}

    /** {@code acr-retention run}: the real registries and clusters, documents under {@code out}. */
    public static LocalRun run(
            RetentionConfig config, String credentialKind, Path out, Clock clock) {
        TokenCredential credential = Credentials.of(credentialKind);
        return of(
                config,
                Adapters.registries(config, credential, null),
                Adapters.collector(config, credential, ArmEndpoint.azurePublic(), clock),
                Adapters.pullLogs(config, credential, null),
                new LocalDocumentStore(out),
                clock,
                Adapters.cleaners(config));
    }

    /** {@code acr-retention restore}: the quarantine records under {@code out}. */
    public static Restorer restorer(RetentionConfig config, String credentialKind, Path out) {
        return new Restorer(
                Adapters.registries(config, Credentials.of(credentialKind), null),
                new LocalDocumentStore(out),
                Clock.systemUTC());
    }

    /** The run page of a run whose documents are under {@code out}. */
    public static RunPages pages(Path out, Clock clock) {
        RunDocuments documents = new RunDocuments(new LocalDocumentStore(out));
        return new RunPages(documents, new RunStatusReader(documents), clock);
    }

    /**
     * The same starter and processor the functions use, over one store and one in-memory delete
     * budget.
     */
    public static LocalRun of(
            RetentionConfig config,
            Map<String, Registry> registries,
            InventoryCollector collector,
            DocumentStore store,
            Clock clock,
            Function<Registry, Cleaner> cleaners) {
        return of(config, registries, collector, PullLogs.NONE, store, clock, cleaners);
    }

    public static LocalRun of(
            RetentionConfig config,
            Map<String, Registry> registries,
            InventoryCollector collector,
            PullLogs pullLogs,
            DocumentStore store,
            Clock clock,
            Function<Registry, Cleaner> cleaners) {
        RunDocuments documents = new RunDocuments(store);
        DeleteBudget budget = DeleteBudget.inMemory(config.policy().maxDeletesPerRun());
        return new LocalRun(
                new RunStarter(config, registries, collector, pullLogs, documents, clock),
                new RepositoryProcessor(
                        config,
                        registries,
                        new InventoryCache(documents),
                        documents,
                        cleaners,
                        runId -> budget,
                        clock),
                documents,
                new RunVerifier(registries),
                config.limits().repositoryConcurrency());
    }
}
