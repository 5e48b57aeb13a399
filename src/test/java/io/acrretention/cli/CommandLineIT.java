package io.acrretention.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.Tag;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.acr.AcrEmulator;
import io.acrretention.testing.k8s.Fault;
import io.acrretention.testing.k8s.K8sObjects;
import io.acrretention.testing.k8s.KubernetesEmulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a user runs it: a separate JVM, {@code --credential azure-cli} with an {@code
 * az} on the PATH that prints a token (and records that it was asked), a trust store holding the
 * emulators' CA.
 */
class CommandLineIT {
    static final String LOGIN = "mactemp.azurecr.io";

    /** A loopback server is not AKS: it gets a token for its own audience, never the AKS one. */
    static final String CLUSTER_AUDIENCE = "api://test-cluster";

    @TempDir Path dir;
    TestCertificates certs;
    AcrEmulator acr;
    KubernetesEmulator k8s;

    /** Added to the command line's environment. */
    final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void start() throws IOException {
        certs = TestCertificates.create("cli-ca");
        acr = AcrEmulator.start(certs, LOGIN, "cli-token:https://containerregistry.azure.net");
        k8s = KubernetesEmulator.start(certs);
        k8s.addCluster("prod", "cli-token:" + CLUSTER_AUDIENCE)
                .add(
                        "pods",
                        K8sObjects.pod(
                                "shop",
                                "api",
                                new K8sObjects.Spec().container("api", LOGIN + "/app/api:1.0.3"),
                                null));
        Instant old = Instant.now().minus(Duration.ofDays(200));
        for (int i = 0; i < 15; i++) {
            String digest = K8sObjects.digest("api" + i);
            acr.state()
                    .put(
                            "app/api",
                            new Manifest(
                                    digest,
                                    "application/vnd.oci.image.manifest.v1+json",
                                    5000,
                                    old.plusSeconds(i),
                                    old.plusSeconds(i),
                                    true,
                                    true,
                                    List.of(
                                            new Tag(
                                                    "1.0." + i,
                                                    digest,
                                                    old.plusSeconds(i),
                                                    old.plusSeconds(i),
                                                    true,
                                                    true)),
                                    List.of(),
                                    null));
        }
        Path bin = Files.createDirectories(dir.resolve("bin"));
        // The Azure CLI prints the token JSON for --resource; this one also leaves a mark that it
        // was asked.
        Files.writeString(
                bin.resolve("az"),
                """
                #!/bin/sh
                touch "%s"
                resource=""
                while [ $# -gt 0 ]; do [ "$1" = "--resource" ] && resource="$2"; shift; done
                cat <<JSON
                {"accessToken": "cli-token:$resource", "expiresOn": "2099-01-01 00:00:00.000000", "expires_on": 4070908800,
                 "subscription": "00000000-0000-0000-0000-000000000000", "tenant": "00000000-0000-0000-0000-000000000000",
                 "tokenType": "Bearer"}
                JSON
                """
                        .formatted(dir.resolve("az-was-called")));
        Files.setPosixFilePermissions(
                bin.resolve("az"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("prod-ca.pem"), k8s.caPem());
        certs.writeTrustStore(dir.resolve("truststore.p12"));
    }

    @AfterEach
    void stop() {
        acr.close();
        k8s.close();
    }

    private Path config(String extraPolicy) throws IOException {
        return Files.writeString(
                dir.resolve("config.json"),
                """
                {"registries": [{"endpoint": "%s", "loginServer": "%s"}],
                 "clusters": [{"name": "prod", "kind": "kubernetes", "server": "%s", "caFile": "%s",
                               "audience": "%s"}],
                 "policy": {"keepRecent": 5 %s}}"""
                        .formatted(
                                acr.endpoint(),
                                LOGIN,
                                k8s.server("prod"),
                                dir.resolve("prod-ca.pem"),
                                CLUSTER_AUDIENCE,
                                extraPolicy));
    }

    record Exit(int code, String out, String err) {}

    private Exit cli(String... args) throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Djavax.net.ssl.trustStore=" + dir.resolve("truststore.p12"),
                                "-Djavax.net.ssl.trustStorePassword="
                                        + TestCertificates.trustStorePassword(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        pb.environment().putAll(env);
        pb.redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the command line did not finish");
        return new Exit(
                p.exitValue(),
                Files.readString(dir.resolve("stdout")),
                Files.readString(dir.resolve("stderr")));
    }

    @Test
    void aDryRunAgainstTheRegistryAndClusterPrintsTheSummaryAndWritesEveryDocument()
            throws Exception {
        String before = acr.state().snapshot();
        Exit exit =
                cli(
                        "run",
                        "--config",
                        config("").toString(),
                        "--credential",
                        "azure-cli",
                        "--out",
                        "out");

        assertEquals(ExitCodes.DONE, exit.code(), exit.err());
        assertTrue(exit.out().contains("REPOSITORY"), exit.out());
        assertTrue(
                exit.out().matches("(?s).*mactemp.azurecr.io/app/api\\s+6\\s+0\\s+9.*"),
                exit.out());
        assertTrue(
                exit.err().contains("mactemp.azurecr.io/app/api: kept 6, planned 9"), exit.err());
        assertEquals(before, acr.state().snapshot());
        try (var runs = Files.list(dir.resolve("out/runs"))) {
            Path run = runs.findFirst().orElseThrow();
            assertTrue(Files.exists(run.resolve("summary.json")));
            String runId = run.getFileName().toString();
            assertTrue(Files.exists(dir.resolve("out/inventory/" + runId + ".json")));
            assertTrue(
                    Files.exists(
                            dir.resolve("out/reports/" + runId + "/" + LOGIN + "/app/api.json")));
        }
    }

    @Test
    void deleteModeOnTheCommandLineDeletesWhatTheDryRunPlanned() throws Exception {
        Exit exit =
                cli("run", "--config", config("").toString(), "--mode", "delete", "--out", "out");
        assertEquals(ExitCodes.DONE, exit.code(), exit.err());
        assertEquals(9, acr.counts().manifestsDeleted());
        assertTrue(
                acr.state().hasManifest("app/api", K8sObjects.digest("api3")),
                "1.0.3 runs in prod");
    }

    @Test
    void deleteOnTheCommandLineLiftsTheBaseModeButNeverAnOverridesOwnDryRun() throws Exception {
        Instant old = Instant.now().minus(Duration.ofDays(200));
        for (int i = 0; i < 8; i++) {
            String digest = K8sObjects.digest("legacy" + i);
            acr.state()
                    .put(
                            "team-a",
                            new Manifest(
                                    digest,
                                    "application/vnd.oci.image.manifest.v1+json",
                                    5000,
                                    old.plusSeconds(i),
                                    old.plusSeconds(i),
                                    true,
                                    true,
                                    List.of(
                                            new Tag(
                                                    "0." + i,
                                                    digest,
                                                    old.plusSeconds(i),
                                                    old.plusSeconds(i),
                                                    true,
                                                    true)),
                                    List.of(),
                                    null));
        }
        // team-a/** covers the repository team-a itself.
        Path config =
                config(
                        ", \"overrides\": [{\"repositories\": [\"team-a/**\"], \"mode\": \"dry-run\"}]");

        Exit exit = cli("run", "--config", config.toString(), "--mode", "delete", "--out", "out");

        assertEquals(ExitCodes.DONE, exit.code(), exit.err());
        assertEquals(9, acr.counts().manifestsDeleted(), "app/api follows the lifted base mode");
        assertEquals(8, acr.state().tags("team-a").size(), "team-a's own dry-run stays");
        assertTrue(exit.out().contains("(mixed)"), exit.out());
        try (var runs = Files.list(dir.resolve("out/runs"))) {
            Path run = runs.findFirst().orElseThrow();
            assertTrue(
                    Files.readString(run.resolve("summary.json")).contains("\"mode\" : \"mixed\""));
            assertTrue(Files.readString(run.resolve("run.json")).contains("\"mode\" : \"mixed\""));
        }
    }

    @Test
    void anOverrideThatDeletesMakesTheRunMixedAndDryRunOnTheCommandLineNarrowsIt()
            throws Exception {
        Path config =
                config(", \"overrides\": [{\"repositories\": [\"app/**\"], \"mode\": \"delete\"}]");
        String before = acr.state().snapshot();

        Exit dry =
                cli("run", "--config", config.toString(), "--mode", "dry-run", "--out", "out-dry");
        assertEquals(ExitCodes.DONE, dry.code(), dry.err());
        assertTrue(dry.out().contains("(dry-run)"), dry.out());
        assertEquals(before, acr.state().snapshot());

        Exit configured = cli("run", "--config", config.toString(), "--out", "out");
        assertEquals(ExitCodes.DONE, configured.code(), configured.err());
        assertEquals(9, acr.counts().manifestsDeleted());
        assertTrue(
                configured.out().contains("(delete)"),
                "every repository of this run deletes: " + configured.out());
    }

    @Test
    void reachingTheDeleteCapIsAWithheldOutcomeWithExitCode3() throws Exception {
        Exit exit =
                cli(
                        "run",
                        "--config",
                        config(", \"maxDeletesPerRun\": 3").toString(),
                        "--mode",
                        "delete",
                        "--out",
                        "out");

        assertEquals(ExitCodes.WITHHELD, exit.code(), exit.out() + exit.err());
        assertEquals(3, acr.counts().manifestsDeleted());
        assertTrue(exit.out().contains("Deletion withheld (delete-cap-reached)"), exit.out());
        assertTrue(exit.out().contains("maxDeletesPerRun 3"), exit.out());
    }

    @Test
    void aUsedImageThatNoLongerResolvesAfterTheRunExitsWith4() throws Exception {
        AtomicBoolean removed = new AtomicBoolean();
        acr.faults()
                .onRequest(
                        (method, path) -> {
                            if (method.equals("DELETE") && removed.compareAndSet(false, true)) {
                                acr.state().deleteManifest("app/api", K8sObjects.digest("api3"));
                            }
                        });

        Exit exit =
                cli("run", "--config", config("").toString(), "--mode", "delete", "--out", "out");

        assertEquals(ExitCodes.DELETIONS_FAILED, exit.code(), exit.out() + exit.err());
        assertTrue(
                exit.out().contains("Verification: 1 used images checked, 1 missing"), exit.out());
        assertTrue(
                exit.out().contains("app/api:1.0.3 no longer resolves (not deleted by this run)"),
                exit.out());
    }

    @Test
    void aFailingClusterWithholdsDeletionWithExitCode3AndSaysWhy() throws Exception {
        k8s.close();
        k8s = KubernetesEmulator.start(certs);
        k8s.addCluster("prod", "cli-token:" + CLUSTER_AUDIENCE)
                .fault(Fault.of(Fault.Type.SERVER_ERROR, "pods"));
        Files.writeString(dir.resolve("prod-ca.pem"), k8s.caPem());
        String before = acr.state().snapshot();

        Exit exit =
                cli("run", "--config", config("").toString(), "--mode", "delete", "--out", "out");

        assertEquals(ExitCodes.WITHHELD, exit.code(), exit.err());
        assertTrue(exit.out().contains("Deletion withheld (inventory-incomplete)"), exit.out());
        assertTrue(exit.out().contains("prod"), exit.out());
        assertEquals(before, acr.state().snapshot());
    }

    @Test
    void aManagedIdentityTokenFromTheHostsEndpointWorksWithoutTheNativeTokenCacheLibraries()
            throws Exception {
        // The App Service / Functions identity endpoint: plain HTTP on the loopback, a secret
        // header.
        HttpServer identity = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        identity.createContext(
                "/msi/token",
                ex -> {
                    String query =
                            URLDecoder.decode(
                                    ex.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
                    String resource = query.replaceFirst(".*(?:^|&)resource=([^&]*).*", "$1");
                    boolean secret =
                            "identity-header-1"
                                    .equals(ex.getRequestHeaders().getFirst("X-IDENTITY-HEADER"));
                    byte[] body =
                            ("{\"access_token\": \"cli-token:"
                                            + resource
                                            + "\", \"expires_on\": \"4070908800\","
                                            + " \"resource\": \""
                                            + resource
                                            + "\", \"token_type\": \"Bearer\"}")
                                    .getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().set("Content-Type", "application/json");
                    ex.sendResponseHeaders(secret ? 200 : 401, secret ? body.length : -1);
                    if (secret) {
                        ex.getResponseBody().write(body);
                    }
                    ex.close();
                });
        identity.start();
        try {
            env.put(
                    "IDENTITY_ENDPOINT",
                    "http://127.0.0.1:" + identity.getAddress().getPort() + "/msi/token");
            env.put("IDENTITY_HEADER", "identity-header-1");

            Exit exit =
                    cli(
                            "run",
                            "--config",
                            config("").toString(),
                            "--credential",
                            "managed-identity",
                            "--out",
                            "out");

            assertEquals(ExitCodes.DONE, exit.code(), exit.err());
            assertFalse(
                    Files.exists(dir.resolve("az-was-called")),
                    "the managed identity, not the Azure CLI");
        } finally {
            identity.stop(0);
        }
    }

    @Test
    void anEnvironmentCredentialWithoutItsSettingsFailsClosedNotWithAMissingClass()
            throws Exception {
        Exit exit =
                cli(
                        "run",
                        "--config",
                        config("").toString(),
                        "--credential",
                        "environment",
                        "--out",
                        "out");

        assertFalse(
                exit.err().contains("NoClassDefFoundError")
                        || exit.err().contains("ClassNotFoundException"),
                exit.err());
        assertTrue(
                exit.code() == ExitCodes.WITHHELD || exit.code() == ExitCodes.DELETIONS_FAILED,
                exit.code() + exit.err());
        assertTrue(exit.err().contains("EnvironmentCredential"), exit.err());
    }

    @Test
    void badInputExitsWith2NamingWhatAndWhereBeforeAnyCredentialIsTouched() throws Exception {
        Exit badPolicy = cli("run", "--config", config(", \"keepRecnt\": 3").toString());
        assertEquals(ExitCodes.BAD_INPUT, badPolicy.code());
        assertTrue(badPolicy.err().contains("policy.keepRecnt: unknown key"), badPolicy.err());
        assertTrue(badPolicy.err().contains("config.json"), badPolicy.err());

        Exit missing = cli("run", "--config", "nope.json");
        assertEquals(ExitCodes.BAD_INPUT, missing.code());
        assertTrue(missing.err().contains("cannot read --config nope.json"), missing.err());

        Exit badMode = cli("run", "--config", config("").toString(), "--mode", "yolo");
        assertEquals(ExitCodes.BAD_INPUT, badMode.code());
        assertTrue(badMode.err().contains("--mode"), badMode.err());

        Exit badCredential =
                cli("run", "--config", config("").toString(), "--credential", "default");
        assertEquals(ExitCodes.BAD_INPUT, badCredential.code());
        assertTrue(
                badCredential.err().contains("--credential must be one of"), badCredential.err());

        Exit unknownOption = cli("run", "--confg", "x");
        assertEquals(ExitCodes.BAD_INPUT, unknownOption.code());

        assertFalse(
                Files.exists(dir.resolve("az-was-called")),
                "a credential was touched on bad input");
    }

    @Test
    void theDemoNeedsNoAccountAndShowsEveryDecisionWithItsReasons() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Main.run(
                        new String[] {"demo", "--out", dir.resolve("demo").toString()},
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCodes.DONE, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(text.contains("keep   2.1.30-3e158f8-main, latest"), text);
        assertTrue(text.contains("untag  2.1.3-3e15913-main, 2.1.3-rc1"), text);
        assertTrue(text.contains("delete 2.1.19-3e15903-feature1"), text);
        assertTrue(text.contains("Manifests: keep 59, untag 1, delete 24"), text);
    }

    @Test
    void serveInventoryRefusesSettingsItCannotUseWithExitCode2() throws Exception {
        Files.writeString(dir.resolve("server.json"), "{\"issuers\": []}");
        Exit exit = cli("serve-inventory", "--config", dir.resolve("server.json").toString());
        assertEquals(ExitCodes.BAD_INPUT, exit.code(), exit.out() + exit.err());
        assertTrue(exit.err().contains("serve-inventory"), exit.err());
    }
}
