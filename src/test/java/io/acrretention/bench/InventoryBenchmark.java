package io.acrretention.bench;

import io.acrretention.config.ClusterConfig;
import io.acrretention.config.Limits;
import io.acrretention.inventory.InventoryCollector;
import io.acrretention.inventory.kubernetes.ArmEndpoint;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.TestTokens;
import io.acrretention.testing.k8s.EmulatedCluster;
import io.acrretention.testing.k8s.KubernetesEmulator;
import io.acrretention.usage.ClusterStatus;
import io.acrretention.usage.UsedImages;
import io.acrretention.wiring.ImageSources;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * 20 clusters of 5,000 pods each (plus 1,500 replicasets and 500 deployments: the rollback history)
 * against the loopback Kubernetes emulator with some latency per request. Prints the collection's
 * wall time, the slowest cluster's time alone, their ratio (target at most 1.2: clusters overlap),
 * and heap growth during collection (target at most 64 MB: lists are streamed, only distinct images
 * are kept).
 */
public final class InventoryBenchmark {
    private InventoryBenchmark() {}

    private static final int CLUSTERS = 20;
    private static final int PODS = 5_000;
    private static final int HISTORY = 3;
    // Per request, before the answer: -Dlatency.ms=200 for a cluster farther away.
    private static final Duration LATENCY = Duration.ofMillis(Long.getLong("latency.ms", 50));
    private static final long MB = 1024 * 1024;

    public static void main(String[] args) {
        TestCertificates certs = TestCertificates.create("bench-ca");
        String token = TestTokens.tokenFor(ClusterConfig.AKS_AUDIENCE + "/.default");
        Limits limits =
                new Limits(
                        Duration.ofMinutes(10),
                        Duration.ofMinutes(10),
                        32 * MB,
                        8,
                        Duration.ofSeconds(60),
                        16);
        try (KubernetesEmulator emulator = KubernetesEmulator.start(certs)) {
            EmulatedCluster first = emulator.addCluster("c00", token).latency(LATENCY);
            int distinct = first.generate(PODS, HISTORY);
            List<ClusterConfig> configs = new ArrayList<>();
            for (int i = 0; i < CLUSTERS; i++) {
                String name = String.format("c%02d", i);
                if (i > 0) {
                    emulator.addCluster(name, token).latency(LATENCY).sameObjectsAs(first);
                }
                configs.add(
                        new ClusterConfig(
                                name,
                                ClusterConfig.Kind.KUBERNETES,
                                emulator.server(name),
                                null,
                                certs.caPem(),
                                null,
                                null,
                                ClusterConfig.AKS_AUDIENCE));
            }
            ImageSources sources =
                    new ImageSources(
                            TestTokens.perScope(),
                            limits,
                            new ArmEndpoint(emulator.armEndpoint(), certs.clientContext()));
            System.out.printf(
                    "setup: %d clusters x %d pods, %d replicasets, %d deployments; %d ms latency per "
                            + "request; %d distinct references per cluster%n",
                    CLUSTERS, PODS, PODS / 10 * HISTORY, PODS / 10, LATENCY.toMillis(), distinct);

            // Warm-up: the JIT and TLS session set-up are not what is measured.
            for (int i = 0; i < 2; i++) {
                collect(sources, configs.subList(0, 2), limits);
            }

            long before = usedAfterGc();
            resetPeaks();
            long start = System.nanoTime();
            UsedImages all = collect(sources, configs, limits);
            long wallMs = (System.nanoTime() - start) / 1_000_000;
            long peak = peakHeap();
            long after = usedAfterGc();
            if (!all.complete()) {
                throw new IllegalStateException(
                        "the benchmark run is incomplete: " + all.failedClusters());
            }
            ClusterStatus slowest =
                    all.clusters().stream()
                            .max(Comparator.comparingLong(ClusterStatus::durationMs))
                            .orElseThrow();
            ClusterConfig slowestConfig =
                    configs.stream()
                            .filter(c -> c.name().equals(slowest.name()))
                            .findFirst()
                            .orElseThrow();
            long aloneMs = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long t = System.nanoTime();
                collect(sources, List.of(slowestConfig), limits);
                aloneMs = Math.min(aloneMs, (System.nanoTime() - t) / 1_000_000);
            }
            System.out.printf(
                    "images in the inventory: %d (complete=%s)%n",
                    all.images().size(), all.complete());
            System.out.printf(
                    "collection wall time, %d clusters in parallel: %d ms%n", CLUSTERS, wallMs);
            System.out.printf(
                    "slowest cluster in that run: %s, %d ms; the same cluster alone (best of 3): %d ms%n",
                    slowest.name(), slowest.durationMs(), aloneMs);
            System.out.printf(
                    "ratio wall / slowest alone: %.2f (target <= 1.2)%n",
                    (double) wallMs / aloneMs);
            System.out.printf(
                    "heap used after GC: before %d MB, after %d MB (result held): growth %d MB "
                            + "(target <= 64 MB)%n",
                    before / MB, after / MB, (after - before) / MB);
            System.out.printf(
                    "peak heap during collection (includes garbage and the emulator in this JVM): %d MB%n",
                    peak / MB);
        }
    }

    private static UsedImages collect(
            ImageSources sources, List<ClusterConfig> configs, Limits limits) {
        return new InventoryCollector(sources.create(configs), limits, Clock.systemUTC())
                .collect("bench");
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void resetPeaks() {
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .toList();
    }
}
