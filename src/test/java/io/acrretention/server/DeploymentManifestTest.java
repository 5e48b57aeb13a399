package io.acrretention.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.inventory.kubernetes.KubernetesSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A few string checks on deploy/kubernetes (no YAML library): least privilege and a locked-down
 * pod.
 */
class DeploymentManifestTest {
    static final Path DIR = Path.of("deploy/kubernetes");

    /** The manifest without its comment lines: what Kubernetes sees. */
    static String read(String name) throws Exception {
        return String.join(
                "\n",
                Files.readAllLines(DIR.resolve(name)).stream()
                        .filter(l -> !l.strip().startsWith("#"))
                        .toList());
    }

    @Test
    void theClusterRoleGrantsListOnExactlyTheKindsTheInventoryReads() throws Exception {
        String role = read("clusterrole.yaml");

        assertFalse(
                role.contains("\"*\"") || role.contains("'*'") || role.contains("[*]"),
                "no wildcard");
        assertFalse(role.contains("secrets"), "no secrets");
        Matcher rule =
                Pattern.compile(
                                "apiGroups: \\[\"([^\"]*)\"]\\s*\n\\s*resources: \\[([^]]*)]\\s*\n"
                                        + "\\s*verbs: \\[([^]]*)]")
                        .matcher(role);
        Set<String> granted = new TreeSet<>();
        while (rule.find()) {
            assertEquals("\"list\"", rule.group(3), "list only");
            for (String resource : rule.group(2).split(",")) {
                granted.add(rule.group(1) + "/" + resource.strip().replace("\"", ""));
            }
        }
        // The source's own list of kinds: a kind added to the inventory without its permission
        // fails here.
        assertEquals(new TreeSet<>(KubernetesSource.builtInResources()), granted);
        assertFalse(
                read("clusterrolebinding.yaml").contains("name: view"),
                "not the built-in view role");
    }

    @Test
    void thePodIsLockedDownAndBounded() throws Exception {
        String d = read("deployment.yaml");

        for (String line :
                List.of(
                        "runAsNonRoot: true",
                        "readOnlyRootFilesystem: true",
                        "allowPrivilegeEscalation: false",
                        "drop: [\"ALL\"]",
                        "type: RuntimeDefault",
                        "path: /healthz",
                        "memory: 64Mi",
                        "memory: 128Mi",
                        "-Xmx48m")) {
            assertTrue(d.contains(line), line);
        }
        assertFalse(d.contains("privileged: true"));
        assertFalse(d.contains("hostNetwork") || d.contains("hostPath"));
    }

    @Test
    void theKustomizationListsEveryManifestAndTheConfigMapHoldsValidSettings() throws Exception {
        String k = read("kustomization.yaml");
        try (var files = Files.list(DIR)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                    .forEach(
                            n ->
                                    assertTrue(
                                            k.contains("- " + n),
                                            n + " is not in kustomization.yaml"));
        }
        String cm = read("configmap.yaml");
        String json = cm.substring(cm.indexOf("inventory.json: |") + "inventory.json: |".length());

        ServerConfig config =
                ServerConfig.parse(
                        json, "configmap.yaml", Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1"));

        assertEquals(3, config.issuers().size());
    }
}
