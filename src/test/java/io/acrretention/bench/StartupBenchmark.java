package io.acrretention.bench;

import io.acrretention.testing.Azurite;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Start-up: the function package's size (target: at most 20 MB, no netty) and a cold JVM's time
 * from start to the first handler answer, with the services built from app settings against
 * Azurite. Needs the package: {@code mvn -q package -DskipTests} first. Run: {@code bench/run
 * StartupBenchmark}.
 */
public final class StartupBenchmark {
    private StartupBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path app = Path.of("target/azure-functions/acr-retention");
        if (!Files.isDirectory(app)) {
            throw new IllegalStateException(
                    "no function package at " + app + ": run mvn -q package -DskipTests first");
        }
        long bytes;
        List<String> jars = new ArrayList<>();
        try (Stream<Path> files = Files.walk(app)) {
            bytes =
                    files.filter(Files::isRegularFile)
                            .peek(
                                    p -> {
                                        if (p.toString().endsWith(".jar")) {
                                            jars.add(p.toString());
                                        }
                                    })
                            .mapToLong(p -> p.toFile().length())
                            .sum();
        }
        long netty = jars.stream().filter(j -> j.contains("netty")).count();
        System.out.printf(
                "function package: %.1f MB in %d jars, %d netty jars (target <= 20 MB, no netty)%n",
                bytes / 1e6, jars.size(), netty);

        Azurite azurite = Azurite.get();
        // The Java worker brings the functions library itself, so the package leaves it out; add it
        // as the worker would.
        List<String> classPath = new ArrayList<>(jars);
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.contains("azure-functions-java"))
                .forEach(classPath::add);
        classPath.add("target/test-classes");
        long best = Long.MAX_VALUE;
        long worst = 0;
        for (int i = 0; i < 5; i++) {
            String line =
                    probe(String.join(File.pathSeparator, classPath), azurite.connectionString());
            long ms = Long.parseLong(line.replaceAll(".*jvmToFirstAnswer=(\\d+).*", "$1"));
            best = Math.min(best, ms);
            worst = Math.max(worst, ms);
            if (i == 0) {
                System.out.println("first probe: " + line);
            }
        }
        System.out.printf(
                "JVM start to first handler answer (RunStatusHttp, services from app settings): "
                        + "best %d ms, worst %d ms of 5 cold JVMs%n",
                best, worst);

        // The telemetry's share of that start (OpenTelemetry API, no agent: what the CLI and a
        // local host see).
        long bestMicros = Long.MAX_VALUE;
        String classes = "";
        for (int i = 0; i < 5; i++) {
            ProcessBuilder pb =
                    new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                            "-cp",
                            String.join(File.pathSeparator, classPath),
                            TelemetryProbe.class.getName());
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String line = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0 || !line.contains("telemetryInitMicros")) {
                throw new IllegalStateException("telemetry probe failed: " + line);
            }
            bestMicros =
                    Math.min(
                            bestMicros,
                            Long.parseLong(
                                    line.replaceAll(".*telemetryInitMicros=(\\d+).*", "$1")));
            classes = line.replaceAll(".*classes=(\\d+).*", "$1");
        }
        System.out.printf(
                "telemetry wiring in a cold JVM: best %.1f ms of 5, %s classes loaded%n",
                bestMicros / 1000.0, classes);
    }

    private static String probe(String classPath, String storage)
            throws IOException, InterruptedException {
        ProcessBuilder pb =
                new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        classPath,
                        StartupProbe.class.getName());
        pb.environment().put("AzureWebJobsStorage", storage);
        pb.environment()
                .put(
                        "RETENTION_CONFIG",
                        """
                {"registries": [{"endpoint": "https://startup.azurecr.io"}],
                 "clusters": [{"name": "prod", "kind": "endpoint", "url": "https://inventory.invalid/images",
                               "audience": "api://x"}]}""");
        pb.environment().put("RETENTION_CONTAINER", "startup");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0 || !out.contains("jvmToFirstAnswer")) {
            throw new IllegalStateException("probe failed: " + out);
        }
        return Arrays.stream(out.split("\n"))
                .filter(l -> l.contains("jvmToFirstAnswer"))
                .findFirst()
                .orElseThrow();
    }
}
