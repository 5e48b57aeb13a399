package io.acrretention.testing.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.acrretention.json.Json;
import io.acrretention.testing.LoopbackHttps;
import io.acrretention.testing.TestCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback Kubernetes API over verified TLS, for many clusters at once ({@code
 * /clusters/{name}/...}): the list routes the inventory reads, in their real shapes, paged with
 * {@code limit} and {@code continue}, bearer tokens checked, faults on demand. It also answers
 * Azure Resource Manager's {@code listClusterUserCredential} under {@code /arm}, so a cluster can
 * be found by resource id.
 */
public final class KubernetesEmulator implements AutoCloseable {
    /**
     * Built-in lists by plural: {apiVersion, list kind}; served at /api/v1/{plural} or
     * /apis/{apiVersion}/{plural}.
     */
    private static final Map<String, String[]> KINDS =
            Map.ofEntries(
                    Map.entry("pods", new String[] {"v1", "PodList"}),
                    Map.entry(
                            "replicationcontrollers",
                            new String[] {"v1", "ReplicationControllerList"}),
                    Map.entry("podtemplates", new String[] {"v1", "PodTemplateList"}),
                    Map.entry("deployments", new String[] {"apps/v1", "DeploymentList"}),
                    Map.entry("replicasets", new String[] {"apps/v1", "ReplicaSetList"}),
                    Map.entry("statefulsets", new String[] {"apps/v1", "StatefulSetList"}),
                    Map.entry("daemonsets", new String[] {"apps/v1", "DaemonSetList"}),
                    Map.entry(
                            "controllerrevisions",
                            new String[] {"apps/v1", "ControllerRevisionList"}),
                    Map.entry("jobs", new String[] {"batch/v1", "JobList"}),
                    Map.entry("cronjobs", new String[] {"batch/v1", "CronJobList"}));

    private final TestCertificates certs;
    private final LoopbackHttps server;
    private final Map<String, EmulatedCluster> clusters = new ConcurrentHashMap<>();
    private final Map<String, String> aksResources = new ConcurrentHashMap<>();
    private volatile String armToken = "arm-token";

    private KubernetesEmulator(TestCertificates certs) {
        this.certs = certs;
        server = LoopbackHttps.start(certs, "k8s-emulator", 0, this::handle);
    }

    public static KubernetesEmulator start(TestCertificates certs) {
        return new KubernetesEmulator(certs);
    }

    /** A new cluster that accepts {@code token}. */
    public EmulatedCluster addCluster(String name, String token) {
        EmulatedCluster c = new EmulatedCluster(name, token);
        if (clusters.putIfAbsent(name, c) != null) {
            throw new IllegalArgumentException("cluster " + name + " exists");
        }
        return c;
    }

    /** The API server URL of a cluster, as a kubeconfig or a cluster config names it. */
    public URI server(String cluster) {
        return URI.create(base() + "/clusters/" + cluster);
    }

    /** The emulated Azure Resource Manager endpoint. */
    public URI armEndpoint() {
        return URI.create(base() + "/arm");
    }

    /** Makes {@code resourceId} an AKS cluster whose user kubeconfig points at {@code cluster}. */
    public void registerAks(String resourceId, String cluster) {
        aksResources.put(resourceId, cluster);
    }

    public void armToken(String token) {
        armToken = token;
    }

    public String caPem() {
        return certs.caPem();
    }

    private String base() {
        return server.base();
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            if (path.startsWith("/arm/")) {
                handleArm(ex, path.substring("/arm".length()));
                return;
            }
            String[] parts = path.split("/", 4);
            // /clusters/{name}/api/v1/{kind} or /clusters/{name}/apis/{group}/{version}/{kind}: the
            // whole path
            // must match, as on a real API server (a custom resource of another group is not
            // found).
            EmulatedCluster cluster = parts.length > 3 ? clusters.get(parts[2]) : null;
            String kind = cluster == null ? null : cluster.kindAt("/" + parts[3]);
            if (kind == null || !"GET".equals(ex.getRequestMethod())) {
                status(ex, 404, "NotFound", "the server could not find the requested resource");
                return;
            }
            cluster.serve(ex, kind, query(ex.getRequestURI()));
        } catch (IOException e) {
            // The client went away (a size cap, a time-out): nothing to answer.
        }
    }

    private void handleArm(HttpExchange ex, String rest) throws IOException {
        String action = "/listClusterUserCredential";
        if (!("Bearer " + armToken).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            json(
                    ex,
                    401,
                    "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"The access token is invalid.\"}}");
            return;
        }
        String resourceId =
                rest.endsWith(action) ? rest.substring(0, rest.length() - action.length()) : null;
        String cluster = resourceId == null ? null : aksResources.get(resourceId);
        if (!"POST".equals(ex.getRequestMethod())
                || cluster == null
                || !"2024-05-01".equals(query(ex.getRequestURI()).get("api-version"))) {
            json(
                    ex,
                    404,
                    "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"The Resource '"
                            + rest
                            + "' was not found.\"}}");
            return;
        }
        String kubeconfig =
                String.join(
                        "\n",
                        "apiVersion: v1",
                        "clusters:",
                        "- cluster:",
                        "    certificate-authority-data: " + b64(certs.caPem()),
                        "    server: " + server(cluster),
                        "  name: " + cluster,
                        "contexts:",
                        "- context:",
                        "    cluster: " + cluster,
                        "    user: clusterUser_rg_" + cluster,
                        "  name: " + cluster,
                        "current-context: " + cluster,
                        "kind: Config",
                        "preferences: {}",
                        "users:",
                        "- name: clusterUser_rg_" + cluster,
                        "  user:",
                        "    exec:",
                        "      apiVersion: client.authentication.k8s.io/v1beta1",
                        "      args:",
                        "      - get-token",
                        "      - --server-id",
                        "      - 6dae42f8-4368-4678-94ff-3960e28e3630",
                        "      command: kubelogin",
                        "");
        json(
                ex,
                200,
                "{\"kubeconfigs\":[{\"name\":\"clusterUser\",\"value\":\""
                        + b64(kubeconfig)
                        + "\"}]}");
    }

    /** The list path of a built-in kind, or null. */
    static String builtInPath(String kind) {
        String[] type = KINDS.get(kind);
        return type == null
                ? null
                : (type[0].equals("v1") ? "/api/v1/" : "/apis/" + type[0] + "/") + kind;
    }

    /** {apiVersion, list kind} of a built-in kind, or null. */
    static String[] builtIn(String kind) {
        return KINDS.get(kind);
    }

    static String listHead(String[] type, String resourceVersion, String continueToken) {
        return "{\"kind\":\""
                + type[1]
                + "\",\"apiVersion\":\""
                + type[0]
                + "\",\"metadata\":{\"resourceVersion\":\""
                + resourceVersion
                + "\""
                + (continueToken == null ? "" : ",\"continue\":\"" + continueToken + "\"")
                + "},\"items\":[";
    }

    static void status(HttpExchange ex, int code, String reason, String message)
            throws IOException {
        ObjectNode s = Json.MAPPER.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
        json(ex, code, s.toString());
    }

    static void json(HttpExchange ex, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] bytes(ObjectNode o) {
        try {
            return Json.MAPPER.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : pair.substring(eq + 1);
                q.put(
                        URLDecoder.decode(k, StandardCharsets.UTF_8),
                        URLDecoder.decode(v, StandardCharsets.UTF_8));
            }
        }
        return q;
    }
}
