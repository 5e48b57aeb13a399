package io.acrretention.bench;

import io.acrretention.cleanup.Cleaner;
import io.acrretention.cleanup.CleanupRequest;
import io.acrretention.cleanup.DeleteBudget;
import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.Result;
import io.acrretention.config.QuotaPlan;
import io.acrretention.config.RegistryQuota;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.acr.AcrRegistry;
import io.acrretention.retention.Action;
import io.acrretention.retention.Decision;
import io.acrretention.retention.Mode;
import io.acrretention.retention.Plan;
import io.acrretention.retention.Reason;
import io.acrretention.testing.acr.AcrEmulator;
import io.acrretention.usage.RepositoryUsage;
import io.acrretention.wiring.Adapters;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * One cleaner instance of {@link MultiInstanceBenchmark}, in its own JVM as a function instance
 * would be: lists its repository, says {@code READY}, waits for a line on standard input (so every
 * instance starts deleting at once, after the JVMs' start-up), deletes every manifest, and prints
 * its results. The emulator's CA comes in through {@code javax.net.ssl.trustStore}. Arguments:
 * endpoint, login server, Entra token, repository, concurrency, and for a quota-aware instance
 * writes and reads a minute and the quota's window in seconds: the cleaner then takes the
 * concurrency and the write pacing the app derives from that quota ({@link QuotaPlan}, {@link
 * Adapters#pacer}), capped by the concurrency given, as the deployed app does.
 */
public final class QuotaWorker {
    private QuotaWorker() {}

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String repository = args[3];
        int concurrency = Integer.parseInt(args[4]);
        QuotaPlan quota =
                args.length > 5
                        ? QuotaPlan.of(
                                new RegistryQuota(
                                        null, Integer.parseInt(args[5]), Integer.parseInt(args[6])),
                                concurrency,
                                Duration.ofSeconds(Integer.parseInt(args[7])))
                        : null;
        AcrRegistry registry =
                AcrRegistry.create(
                        endpoint,
                        args[1],
                        AcrEmulator.credential(args[2]),
                        null,
                        Duration.ofSeconds(30),
                        AcrRegistry.httpClient(SSLContext.getDefault(), Duration.ofSeconds(30)));
        List<Manifest> listed = registry.artifacts(repository).manifests();
        List<Decision> ds =
                listed.stream()
                        .map(
                                m ->
                                        new Decision(
                                                m.digest(),
                                                null,
                                                m.tagNames(),
                                                m.createdTime(),
                                                m.lastUpdateTime(),
                                                m.sizeBytes(),
                                                Action.DELETE,
                                                List.of(),
                                                List.of(Reason.EXPIRED),
                                                Map.of(),
                                                List.of(),
                                                null,
                                                null))
                        .toList();
        Plan plan = new Plan(args[1], repository, Instant.now(), ds);
        System.out.println("READY " + listed.size());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        Cleaner cleaner =
                quota == null
                        ? new Cleaner(registry, concurrency)
                        : new Cleaner(registry, quota.deleteConcurrency())
                                .withPacer(Adapters.pacer(quota));
        Report report =
                cleaner.apply(
                        new CleanupRequest(
                                "bench",
                                plan,
                                RepositoryUsage.NONE,
                                Mode.DELETE,
                                List.of(),
                                DeleteBudget.inMemory(Long.MAX_VALUE),
                                0,
                                Instant.now().plus(Duration.ofHours(1))));
        Map<Result, Long> r = report.totals().results();
        System.out.println(
                "DONE deleted="
                        + r.getOrDefault(Result.DELETED, 0L)
                        + " failed="
                        + r.getOrDefault(Result.FAILED, 0L)
                        + " results="
                        + r);
    }
}
