package io.acrretention.bench;

import io.acrretention.registry.Manifest;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.registry.Tag;
import io.acrretention.retention.Plan;
import io.acrretention.retention.RepositoryPolicy;
import io.acrretention.retention.RetentionPlanner;
import io.acrretention.usage.ClusterStatus;
import io.acrretention.usage.UsedImage;
import io.acrretention.usage.UsedImages;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The planner at scale: 2,000 repositories with 500,000 tags in all (targets: at most 3 s of CPU on
 * 2 cores, at most 256 MB peak heap), and one repository of 50,000 tags (target: at most 0.5 s).
 * Run: {@code bench/run PlannerBenchmark} (set {@code BENCH_JAVA_OPTS=-Xmx...} to bound the heap).
 */
public final class PlannerBenchmark {
    private PlannerBenchmark() {}

    static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    static final String REGISTRY = "mactemp.azurecr.io";
    static final String[] BRANCHES = {"main", "master", "feature-a", "feature-b", "release-1"};

    public static void main(String[] args) {
        RepositoryPolicy policy = RepositoryPolicy.defaults();
        // Warm up the JIT on a small registry first, as a long-running function instance would be.
        plan(generate(200, 250, 1), inventory(200, 1), policy);

        List<RepositoryArtifacts> registry = generate(2_000, 250, 42);
        UsedImages used = inventory(2_000, 42);
        System.gc();
        long heapBefore = usedHeap();
        resetPeaks();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long wallStart = System.nanoTime();
        AtomicLong cpu = new AtomicLong();
        long decisions =
                registry.parallelStream()
                        .mapToLong(
                                r -> {
                                    long c0 = threads.getCurrentThreadCpuTime();
                                    Plan p = RetentionPlanner.plan(r, used, policy, NOW);
                                    cpu.addAndGet(threads.getCurrentThreadCpuTime() - c0);
                                    return p.decisions().size();
                                })
                        .sum();
        long wallMs = (System.nanoTime() - wallStart) / 1_000_000;
        long peak = peakHeap();
        System.out.printf(
                "planner  2,000 repositories / 500,000 tags: %d decisions, CPU %d ms (target <= 3000),"
                        + " wall %d ms on %d cores, peak heap %d MB (target <= 256; registry data alone %d MB)%n",
                decisions,
                cpu.get() / 1_000_000,
                wallMs,
                Runtime.getRuntime().availableProcessors(),
                peak >> 20,
                heapBefore >> 20);

        RepositoryArtifacts big = generate(1, 50_000, 7).get(0);
        UsedImages usedBig = inventory(1, 7);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            RetentionPlanner.plan(big, usedBig, policy, NOW);
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf(
                "planner  1 repository / 50,000 tags: best of 5 %d ms (target <= 500)%n",
                best / 1_000_000);
    }

    private static long plan(
            List<RepositoryArtifacts> registry, UsedImages used, RepositoryPolicy policy) {
        return registry.stream()
                .mapToLong(r -> RetentionPlanner.plan(r, used, policy, NOW).decisions().size())
                .sum();
    }

    /**
     * Repositories of build tags over five branches, some manifests with two tags, a few indexes
     * and locks.
     */
    static List<RepositoryArtifacts> generate(int repositories, int tagsPerRepository, long seed) {
        Random rnd = new Random(seed);
        List<RepositoryArtifacts> out = new ArrayList<>(repositories);
        for (int r = 0; r < repositories; r++) {
            List<Manifest> manifests = new ArrayList<>();
            int t = 0;
            while (t < tagsPerRepository) {
                Instant created = NOW.minus(Duration.ofMinutes(rnd.nextInt(600 * 24 * 60)));
                String digest = digest(rnd);
                List<Tag> tags = new ArrayList<>();
                int n = rnd.nextInt(10) == 0 ? 2 : 1;
                for (int k = 0; k < n && t < tagsPerRepository; k++, t++) {
                    String name =
                            "2."
                                    + (t / 100)
                                    + "."
                                    + (t % 100)
                                    + "-"
                                    + digest.substring(7, 14)
                                    + "-"
                                    + BRANCHES[rnd.nextInt(BRANCHES.length)];
                    tags.add(
                            new Tag(
                                    name,
                                    digest,
                                    created,
                                    created.plusSeconds(rnd.nextInt(3600)),
                                    true,
                                    true));
                }
                manifests.add(
                        new Manifest(
                                digest,
                                "application/vnd.oci.image.manifest.v1+json",
                                rnd.nextInt(500_000_000),
                                created,
                                created,
                                rnd.nextInt(200) != 0,
                                true,
                                tags,
                                List.of(),
                                null));
            }
            out.add(new RepositoryArtifacts(REGISTRY, "team-" + (r % 40) + "/app-" + r, manifests));
        }
        return out;
    }

    /** About five used images per repository, by tag: what 20 clusters typically run. */
    static UsedImages inventory(int repositories, long seed) {
        Random rnd = new Random(seed);
        List<UsedImage> images = new ArrayList<>();
        for (int r = 0; r < repositories; r++) {
            for (int k = 0; k < 5; k++) {
                images.add(
                        new UsedImage(
                                REGISTRY
                                        + "/team-"
                                        + (r % 40)
                                        + "/app-"
                                        + r
                                        + ":2.0."
                                        + rnd.nextInt(100)
                                        + "-0000000-main",
                                null,
                                List.of("prod")));
            }
        }
        return new UsedImages(
                "bench",
                NOW,
                true,
                List.of(ClusterStatus.ok("prod", images.size(), 1)),
                images,
                List.of());
    }

    private static String digest(Random rnd) {
        StringBuilder sb = new StringBuilder("sha256:");
        for (int i = 0; i < 4; i++) {
            sb.append(String.format("%016x", rnd.nextLong()));
        }
        return sb.toString();
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
