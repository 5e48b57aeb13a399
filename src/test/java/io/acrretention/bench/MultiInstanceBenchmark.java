package io.acrretention.bench;

import io.acrretention.registry.Manifest;
import io.acrretention.registry.Tag;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.acr.AcrEmulator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Many instances, one quota: N cleaners, each a separate JVM ({@link QuotaWorker}) as separate
 * function instances are, delete from their own repositories on one ACR emulator whose write and
 * read quotas are a Premium registry's (2,000 writes and 10,000 reads a minute, scaled to a shorter
 * sliding window), every request 20 ms late. Reports, per N: deletes in the full windows after all
 * instances started, as a ratio of the quota; failed and duplicate deletes; 429 answers per delete.
 * By default every instance is quota-aware as the deployed app is with {@code sku: Premium}: it
 * paces its writes ({@code WritePacer}) from the quota it is told; {@code -Dpaced=false} measures
 * the cleaner without pacing, only the registry's 429s holding the quota.
 *
 * <p>Settings ({@code BENCH_JAVA_OPTS}): {@code -Dinstances=1,4,16 -Dconcurrency=8 -Dpaced=true
 * -Dbench.window=20 -Dbench.windows=2 -Dwrites.per.minute=2000 -Dreads.per.minute=10000
 * -Dworker.opts="-Xmx160m -XX:+UseSerialGC"}. Run: {@code bench/run MultiInstanceBenchmark}.
 */
public final class MultiInstanceBenchmark {
    private MultiInstanceBenchmark() {}

    public static void main(String[] args) throws Exception {
        int[] counts =
                Arrays.stream(System.getProperty("instances", "1,4,16").split(","))
                        .map(String::trim)
                        .mapToInt(Integer::parseInt)
                        .toArray();
        int concurrency = Integer.getInteger("concurrency", 8);
        int windowSeconds = Integer.getInteger("bench.window", 20);
        int windows = Integer.getInteger("bench.windows", 2);
        int writeQuota = Integer.getInteger("writes.per.minute", 2000) * windowSeconds / 60;
        int readQuota = Integer.getInteger("reads.per.minute", 10000) * windowSeconds / 60;
        boolean paced = Boolean.parseBoolean(System.getProperty("paced", "true"));
        TestCertificates certs = TestCertificates.create("bench-ca");
        Path trust = certs.writeTrustStore(Files.createTempFile("quota-trust", ".p12"));
        System.out.printf(
                "quota per %d s window: %d writes, %d reads (%d/%d a minute); latency 20 ms; "
                        + "deleteConcurrency %d per instance (at most); paced %s; %d full windows"
                        + " measured%n",
                windowSeconds,
                writeQuota,
                readQuota,
                writeQuota * 60 / windowSeconds,
                readQuota * 60 / windowSeconds,
                concurrency,
                paced,
                windows);
        for (int n : counts) {
            System.out.println("load: " + loadAverage());
            run(certs, trust, n, concurrency, paced, windowSeconds, windows, writeQuota, readQuota);
            System.out.println("load: " + loadAverage());
        }
    }

    /** The machine's load average (the benchmark shares it), as {@code uptime} prints it. */
    static String loadAverage() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    private static void run(
            TestCertificates certs,
            Path trust,
            int n,
            int concurrency,
            boolean paced,
            int windowSeconds,
            int windows,
            int writeQuota,
            int readQuota)
            throws Exception {
        // Enough work that no instance runs dry before the measured windows end.
        int perInstance = (int) Math.ceil(writeQuota * (windows + 1.5) / n);
        String aad = "quota-token";
        try (AcrEmulator acr = AcrEmulator.start(certs, "quota.azurecr.io", aad)) {
            Instant old = Instant.parse("2023-01-01T00:00:00Z");
            for (int w = 0; w < n; w++) {
                for (int i = 0; i < perInstance; i++) {
                    String digest = "sha256:" + String.format("%08x%056x", w, i);
                    List<Tag> tags = i % 2 == 0 ? List.of(Tag.of("t" + i, digest, old)) : List.of();
                    acr.state()
                            .put(
                                    "app" + w,
                                    new Manifest(
                                            digest, null, 1000, old, old, true, true, tags,
                                            List.of(), null));
                }
            }
            List<Process> workers = new ArrayList<>();
            for (int w = 0; w < n; w++) {
                List<String> cmd =
                        new ArrayList<>(
                                List.of(
                                        Path.of(System.getProperty("java.home"), "bin", "java")
                                                .toString()));
                cmd.addAll(
                        Arrays.asList(
                                System.getProperty("worker.opts", "-Xmx160m -XX:+UseSerialGC")
                                        .split(" ")));
                cmd.addAll(
                        List.of(
                                "-Djavax.net.ssl.trustStore=" + trust,
                                "-Djavax.net.ssl.trustStorePassword="
                                        + TestCertificates.trustStorePassword(),
                                "-Djavax.net.ssl.trustStoreType=PKCS12",
                                "-cp",
                                System.getProperty("java.class.path"),
                                QuotaWorker.class.getName(),
                                acr.endpoint().toString(),
                                acr.loginServer(),
                                aad,
                                "app" + w,
                                Integer.toString(concurrency)));
                if (paced) {
                    cmd.addAll(
                            List.of(
                                    Integer.toString(writeQuota * 60 / windowSeconds),
                                    Integer.toString(readQuota * 60 / windowSeconds),
                                    Integer.toString(windowSeconds)));
                }
                workers.add(
                        new ProcessBuilder(cmd)
                                .redirectError(ProcessBuilder.Redirect.INHERIT)
                                .start());
            }
            List<BufferedReader> outs = new ArrayList<>();
            for (Process p : workers) {
                BufferedReader out =
                        new BufferedReader(
                                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String line = out.readLine();
                if (line == null || !line.startsWith("READY")) {
                    throw new IllegalStateException("worker did not start: " + line);
                }
                outs.add(out);
            }
            acr.faults()
                    .latency(Duration.ofMillis(20))
                    .writeQuota(writeQuota, Duration.ofSeconds(windowSeconds))
                    .readQuota(readQuota, Duration.ofSeconds(windowSeconds));
            long throttledBefore = acr.counts().throttled();
            long start = System.nanoTime();
            for (Process p : workers) {
                OutputStream in = p.getOutputStream();
                in.write("GO\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
            List<Long> atBoundary = new ArrayList<>();
            long throttledInWindows = 0;
            for (int k = 1; k <= windows; k++) {
                long until = start + TimeUnit.SECONDS.toNanos((long) windowSeconds * k);
                TimeUnit.NANOSECONDS.sleep(Math.max(0, until - System.nanoTime()));
                atBoundary.add(acr.counts().manifestsDeleted());
                throttledInWindows = acr.counts().throttled() - throttledBefore;
            }
            long deleted = 0;
            long failed = 0;
            for (int w = 0; w < n; w++) {
                String done = outs.get(w).readLine();
                if (workers.get(w).waitFor() != 0 || done == null || !done.startsWith("DONE")) {
                    throw new IllegalStateException("worker " + w + " failed: " + done);
                }
                deleted += Long.parseLong(done.replaceAll(".*deleted=(\\d+).*", "$1"));
                failed += Long.parseLong(done.replaceAll(".*failed=(\\d+).*", "$1"));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long inWindows = atBoundary.get(windows - 1);
            System.out.printf(
                    "instances=%d x concurrency %d: in %d full windows deleted %d (boundaries %s) = "
                            + "ratio to quota %.2f; 429s in those windows %d = %.3f per delete | whole run: "
                            + "%d deleted of %d, failed %d, duplicate deletes %d, 429s %d (%.3f per delete), "
                            + "%.1f s = ratio to quota %.2f, reads %d, token requests %d%n",
                    n,
                    concurrency,
                    windows,
                    inWindows,
                    atBoundary,
                    inWindows / (double) (windows * writeQuota),
                    throttledInWindows,
                    throttledInWindows / (double) Math.max(1, inWindows),
                    deleted,
                    (long) n * perInstance,
                    failed,
                    acr.counts().duplicateDeletes(),
                    acr.counts().throttled() - throttledBefore,
                    (acr.counts().throttled() - throttledBefore) / (double) Math.max(1, deleted),
                    seconds,
                    deleted / (seconds * writeQuota / windowSeconds),
                    acr.counts().reads(),
                    acr.counts().tokenRequests());
        }
    }
}
