package io.acrretention.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.acrretention.json.Json;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.k8s.EmulatedCluster;
import io.acrretention.testing.k8s.KubernetesEmulator;
import io.acrretention.testing.oidc.OidcIssuers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inventory server in its own JVM, started with the JVM flags of {@code
 * deploy/kubernetes/deployment.yaml}, against the loopback Kubernetes emulator (in this JVM) with
 * 10,000 pods, 3,000 replicasets and 1,000 deployments. Prints its resident memory ({@code VmRSS},
 * peak {@code VmHWM}) and its answer times for uncached listings (calls spaced past the cache TTL)
 * and cached ones. Targets: at most 128 MB resident, an uncached listing under 2 s.
 */
public final class InventoryServerBenchmark {
    private InventoryServerBenchmark() {}

    private static final int PODS = 10_000;
    private static final int HISTORY = 3;
    private static final int UNCACHED = 6;
    private static final int CACHED = 50;
    private static final Duration TTL = Duration.ofSeconds(2);
    private static final Pattern LISTENING = Pattern.compile("serving .* on (http://\\S+)");
    private static final Pattern FLAGS =
            Pattern.compile("name: JAVA_TOOL_OPTIONS\\s+value: \"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        TestCertificates certs = TestCertificates.create("bench-ca");
        Path dir = Files.createTempDirectory("inventory-server-bench");
        String flags = deploymentFlags();
        try (KubernetesEmulator emulator = KubernetesEmulator.start(certs);
                OidcIssuers issuers = OidcIssuers.start(certs)) {
            EmulatedCluster cluster = emulator.addCluster("bench", "sa-token");
            int distinct = cluster.generate(PODS, HISTORY);
            OidcIssuers.Issuer entra = issuers.add("tenant").rsaKey("k1");
            Files.writeString(dir.resolve("token"), "sa-token");
            Files.writeString(dir.resolve("ca.crt"), certs.caPem());
            ObjectNode config =
                    Json.MAPPER
                            .createObjectNode()
                            .put("bindAddress", "127.0.0.1")
                            .put("port", 0)
                            .put("healthPort", 0)
                            .put("cacheTtl", TTL.toString());
            config.putObject("kubernetes")
                    .put("server", emulator.server("bench").toString())
                    .put("tokenFile", dir.resolve("token").toString())
                    .put("caFile", dir.resolve("ca.crt").toString());
            ObjectNode issuer =
                    config.putArray("issuers")
                            .addObject()
                            .put("issuer", entra.url())
                            .put("caFile", dir.resolve("ca.crt").toString());
            issuer.putArray("audiences").add("api://inventory");
            issuer.put("provider", "entra")
                    .putObject("claims")
                    .put("tid", "tenant")
                    .put("oid", "bench-caller");
            Files.writeString(dir.resolve("inventory.json"), config.toString());
            String token =
                    entra.sign(
                            "k1",
                            entra.claims("api://inventory")
                                    .claim("tid", "tenant")
                                    .claim("oid", "bench-caller")
                                    .build());

            ProcessBuilder pb =
                    new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            "io.acrretention.cli.Main",
                            "serve-inventory",
                            "--config",
                            dir.resolve("inventory.json").toString());
            pb.environment().put("JAVA_TOOL_OPTIONS", flags);
            pb.redirectErrorStream(true);
            Process server = pb.start();
            try {
                URI base = awaitListening(server);
                System.out.printf(
                        "setup: %d pods, %d replicasets, %d deployments, %d distinct references; server "
                                + "JVM flags (from deployment.yaml): %s%n",
                        PODS, PODS / 10 * HISTORY, PODS / 10, distinct, flags);
                System.out.printf(
                        "resident after start: %d MB%n", rssKb(server.pid(), "VmRSS") / 1024);
                measure(server.pid(), base.resolve("/images"), token);
            } finally {
                server.destroy();
                server.waitFor(10, TimeUnit.SECONDS);
                server.destroyForcibly();
            }
        }
    }

    private static void measure(long pid, URI images, String token) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request =
                HttpRequest.newBuilder(images)
                        .header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(60))
                        .build();
        List<Long> uncached = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < UNCACHED; i++) {
            Thread.sleep(TTL.toMillis() + 200);
            long t = System.nanoTime();
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            uncached.add((System.nanoTime() - t) / 1_000_000);
            if (r.statusCode() != 200) {
                throw new IllegalStateException(
                        "GET /images answered "
                                + r.statusCode()
                                + ": "
                                + new String(r.body(), StandardCharsets.UTF_8));
            }
            bytes = r.body().length;
        }
        List<Long> cached = new ArrayList<>();
        for (int i = 0; i < CACHED; i++) {
            long t = System.nanoTime();
            client.send(request, HttpResponse.BodyHandlers.discarding());
            cached.add((System.nanoTime() - t) / 1_000_000);
        }
        System.out.printf("answer body: %d KB%n", bytes / 1024);
        System.out.printf(
                "uncached listing: first %d ms (cold JIT), then %s ms; worst after the first %d ms "
                        + "(target < 2000 ms)%n",
                uncached.get(0),
                uncached.subList(1, uncached.size()),
                Collections.max(uncached.subList(1, uncached.size())));
        Collections.sort(cached);
        System.out.printf(
                "cached answer (%d calls): median %d ms, max %d ms%n",
                CACHED, cached.get(CACHED / 2), cached.get(CACHED - 1));
        System.out.printf(
                "resident memory: now %d MB, peak (VmHWM) %d MB (target <= 128 MB)%n",
                rssKb(pid, "VmRSS") / 1024, rssKb(pid, "VmHWM") / 1024);
    }

    private static URI awaitListening(Process server) throws Exception {
        CompletableFuture<URI> url = new CompletableFuture<>();
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader in =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    server.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = in.readLine()) != null) {
                                    Matcher m = LISTENING.matcher(line);
                                    if (m.find()) {
                                        url.complete(URI.create(m.group(1)));
                                    } else if (!url.isDone()) {
                                        System.out.println("server: " + line);
                                    }
                                }
                                url.completeExceptionally(
                                        new IllegalStateException(
                                                "the server ended: exit " + server.waitFor()));
                            } catch (IOException | InterruptedException e) {
                                url.completeExceptionally(e);
                            }
                        },
                        "server-output");
        reader.setDaemon(true);
        reader.start();
        return url.get(60, TimeUnit.SECONDS);
    }

    private static String deploymentFlags() throws IOException {
        String yaml = Files.readString(Path.of("deploy/kubernetes/deployment.yaml"));
        Matcher m = FLAGS.matcher(yaml);
        if (!m.find()) {
            throw new IllegalStateException(
                    "deploy/kubernetes/deployment.yaml sets no JAVA_TOOL_OPTIONS");
        }
        return m.group(1);
    }

    private static long rssKb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("/proc/" + pid + "/status has no " + field);
    }
}
