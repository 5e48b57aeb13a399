package io.acrretention.server;

import static io.acrretention.server.DeploymentManifestTest.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * String checks on deploy/kubernetes and the image build for what an attacker in the cluster would
 * use: a long-lived token, an open port, a mutable image, a probe on the port callers can hold.
 */
class DeploymentHardeningIT {
    static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    @Test
    void noTokenIsMountedAutomaticallyOnlyAProjectedShortLivedOneWhereTheServerReadsIt()
            throws Exception {
        String d = read("deployment.yaml");

        assertTrue(d.contains("automountServiceAccountToken: false"), d);
        assertFalse(d.contains("automountServiceAccountToken: true"));
        assertTrue(read("serviceaccount.yaml").contains("automountServiceAccountToken: false"));
        assertTrue(d.contains("- serviceAccountToken:"), "a projected token");
        Matcher expiry = Pattern.compile("expirationSeconds: (\\d+)").matcher(d);
        assertTrue(expiry.find(), "the projected token expires");
        assertTrue(Integer.parseInt(expiry.group(1)) <= 3600, "within the hour");
        assertTrue(
                d.contains("path: token")
                        && d.contains("path: ca.crt")
                        && d.contains("name: kube-root-ca.crt"));
        assertTrue(
                d.contains("mountPath: " + ServerConfig.SERVICE_ACCOUNT),
                "where the server looks by default");
    }

    @Test
    void theProbesUseTheHealthPortThatSlowCallersCannotHold() throws Exception {
        String d = read("deployment.yaml");

        assertTrue(
                d.contains("containerPort: 8081") && d.contains("name: INVENTORY_HEALTH_PORT"), d);
        Matcher probes =
                Pattern.compile(
                                "(liveness|readiness)Probe:\\s+httpGet:\\s+path: /healthz\\s+port: (\\w+)")
                        .matcher(d);
        int found = 0;
        while (probes.find()) {
            assertEquals("health", probes.group(2), probes.group(1) + "Probe");
            found++;
        }
        assertEquals(2, found);
    }

    @Test
    void aNetworkPolicyAdmitsOnlyTheIngressToTheInventoryPortAndAnyoneToTheHealthPort()
            throws Exception {
        String n = read("networkpolicy.yaml");

        assertTrue(n.contains("kind: NetworkPolicy"));
        assertTrue(
                n.contains("policyTypes: [\"Ingress\", \"Egress\"]"),
                "both directions are closed by default");
        assertTrue(
                n.contains("app.kubernetes.io/component: inventory"), "selects the server's pods");
        assertTrue(
                Pattern.compile("- from:\\s+- namespaceSelector:[\\s\\S]*?port: 8080")
                        .matcher(n)
                        .find(),
                "the inventory port only from a named namespace");
        assertEquals(2, n.split("port: 8080|port: 8081").length - 1, "no other port is admitted");
        assertTrue(read("kustomization.yaml").contains("- networkpolicy.yaml"));
    }

    @Test
    void tlsToThePodIsAComponentThatMountsASecretAndSetsTheServersTlsSettings() throws Exception {
        Path tls = DeploymentManifestTest.DIR.resolve("tls");
        String component = Files.readString(tls.resolve("kustomization.yaml"));
        String patch = Files.readString(tls.resolve("deployment-tls.yaml"));

        assertTrue(component.contains("kind: Component"));
        assertTrue(
                patch.contains("name: INVENTORY_TLS_CERT_FILE")
                        && patch.contains("name: INVENTORY_TLS_KEY_FILE"));
        assertTrue(patch.contains("secretName: acr-retention-inventory-tls"));
        assertTrue(Files.readString(tls.resolve("service-tls.yaml")).contains("port: 443"));
    }

    @Test
    void theImageAndItsBaseArePinnedByDigest() throws Exception {
        String k = read("kustomization.yaml");
        assertFalse(k.contains("newTag:"), "a tag can be moved to another build");
        Matcher digest = Pattern.compile("digest: (\\S+)").matcher(k);
        assertTrue(digest.find(), k);
        assertTrue(DIGEST.matcher(digest.group(1)).matches(), digest.group(1));

        String pom = Files.readString(Path.of("pom.xml"));
        Matcher base =
                Pattern.compile("<from>\\s*(?:<!--[\\s\\S]*?-->\\s*)?<image>([^<]+)</image>")
                        .matcher(pom);
        assertTrue(base.find(), "the Jib base image");
        assertTrue(
                base.group(1)
                        .matches("gcr\\.io/distroless/java17-debian12:nonroot@sha256:[0-9a-f]{64}"),
                base.group(1));
    }
}
