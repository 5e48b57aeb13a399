package io.acrretention.testing.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.acrretention.json.Json;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One cluster of the {@link KubernetesEmulator}: its objects (kept serialised), token, faults and
 * latency.
 */
public final class EmulatedCluster {
    private static final long HUGE_BYTES = 50L * 1024 * 1024;

    private final String name;
    private final String token;
    private final Map<String, List<byte[]>> items = new ConcurrentHashMap<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final Map<Fault, AtomicInteger> spent = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    // Installed custom resources, by plural: {apiVersion (group/version), list kind}.
    private final Map<String, String[]> customKinds = new ConcurrentHashMap<>();
    private volatile Duration latency = Duration.ZERO;

    EmulatedCluster(String name, String token) {
        this.name = name;
        this.token = token;
    }

    public String name() {
        return name;
    }

    /** Adds an object to the list of {@code kind} (plural: pods, replicasets, cronjobs, ...). */
    public EmulatedCluster add(String kind, ObjectNode item) {
        items.computeIfAbsent(kind, k -> new CopyOnWriteArrayList<>())
                .add(KubernetesEmulator.bytes(item));
        return this;
    }

    /**
     * Removes every object of {@code kind}: workloads gone, or a list that now answers only in
     * part.
     */
    public EmulatedCluster clear(String kind) {
        items.remove(kind);
        return this;
    }

    /**
     * Serves the same objects as {@code other} (shared, not copied: many big clusters cost one's
     * memory).
     */
    /**
     * Installs a custom resource definition: its list answers at {@code
     * /apis/{group}/{version}/{plural}}; until then that path is 404, as on a cluster without the
     * CRD. Add objects with {@link #add}.
     */
    public EmulatedCluster installCustomResource(
            String group, String version, String plural, String listKind) {
        if (KubernetesEmulator.builtIn(plural) != null) {
            throw new IllegalArgumentException(plural + " is a built-in kind");
        }
        customKinds.put(plural, new String[] {group + "/" + version, listKind});
        return this;
    }

    /**
     * The kind served at {@code path} (under the cluster), or null when this cluster has no such
     * list.
     */
    String kindAt(String path) {
        String plural = path.substring(path.lastIndexOf('/') + 1);
        if (path.equals(KubernetesEmulator.builtInPath(plural))) {
            return plural;
        }
        String[] custom = customKinds.get(plural);
        return custom != null && path.equals("/apis/" + custom[0] + "/" + plural) ? plural : null;
    }

    private String[] type(String kind) {
        String[] t = KubernetesEmulator.builtIn(kind);
        return t != null ? t : customKinds.get(kind);
    }

    public EmulatedCluster sameObjectsAs(EmulatedCluster other) {
        other.items.forEach(items::put);
        return this;
    }

    public EmulatedCluster fault(Fault fault) {
        faults.add(fault);
        return this;
    }

    /** Every response waits this long first, like a cluster far away or under load. */
    public EmulatedCluster latency(Duration d) {
        latency = d;
        return this;
    }

    /** How many requests listed {@code kind}. */
    public int requests(String kind) {
        AtomicInteger n = requests.get(kind);
        return n == null ? 0 : n.get();
    }

    /**
     * Seeds {@code pods} pods of {@code pods / 10} deployments, each deployment with {@code
     * history} replicasets (the rollback history): images from 50 repositories, tags per deployment
     * and revision, an init container, and the digests that run. Returns how many distinct
     * references that makes.
     */
    public int generate(int pods, int history) {
        int deployments = Math.max(1, pods / 10);
        List<byte[]> podItems = new ArrayList<>();
        List<byte[]> rsItems = new ArrayList<>();
        List<byte[]> deployItems = new ArrayList<>();
        for (int d = 0; d < deployments; d++) {
            String repo = "mactemp.azurecr.io/team" + (d % 5) + "/app-" + (d % 50);
            String deployment = "app-" + d;
            for (int h = 0; h < history; h++) {
                K8sObjects.Spec spec =
                        new K8sObjects.Spec()
                                .container("app", repo + ":1." + d + "." + h)
                                .init("migrate", repo + "-migrate:1." + d + "." + h);
                rsItems.add(
                        KubernetesEmulator.bytes(
                                K8sObjects.workload(
                                        "ReplicaSet",
                                        "ns-" + (d % 20),
                                        deployment + "-rs" + h,
                                        spec)));
                if (h == history - 1) {
                    deployItems.add(
                            KubernetesEmulator.bytes(
                                    K8sObjects.workload(
                                            "Deployment", "ns-" + (d % 20), deployment, spec)));
                }
            }
        }
        for (int p = 0; p < pods; p++) {
            int d = p % deployments;
            String repo = "mactemp.azurecr.io/team" + (d % 5) + "/app-" + (d % 50);
            String tag = "1." + d + "." + (history - 1);
            K8sObjects.Spec spec =
                    new K8sObjects.Spec()
                            .container("app", repo + ":" + tag)
                            .init("migrate", repo + "-migrate:" + tag);
            K8sObjects.Status status =
                    new K8sObjects.Status()
                            .running("app", repo + "@" + K8sObjects.digest(repo + ":" + tag))
                            .initRan(
                                    "migrate",
                                    repo
                                            + "-migrate@"
                                            + K8sObjects.digest(repo + "-migrate:" + tag));
            podItems.add(
                    KubernetesEmulator.bytes(
                            K8sObjects.pod(
                                    "ns-" + (d % 20), "app-" + d + "-rs-" + p, spec, status)));
        }
        items.computeIfAbsent("pods", k -> new CopyOnWriteArrayList<>()).addAll(podItems);
        items.computeIfAbsent("replicasets", k -> new CopyOnWriteArrayList<>()).addAll(rsItems);
        items.computeIfAbsent("deployments", k -> new CopyOnWriteArrayList<>()).addAll(deployItems);
        return deployments * history * 2;
    }

    void serve(HttpExchange ex, String kind, Map<String, String> query) throws IOException {
        requests.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        sleep(latency);
        if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))
                || active(Fault.Type.UNAUTHORIZED, kind) != null) {
            KubernetesEmulator.status(ex, 401, "Unauthorized", "Unauthorized");
            return;
        }
        if (active(Fault.Type.FORBIDDEN, kind) != null) {
            KubernetesEmulator.status(
                    ex,
                    403,
                    "Forbidden",
                    kind
                            + " is forbidden: User \"inventory\" cannot list "
                            + "resource \""
                            + kind
                            + "\" at the cluster scope");
            return;
        }
        if (active(Fault.Type.NOT_FOUND, kind) != null) {
            KubernetesEmulator.status(
                    ex, 404, "NotFound", "the server could not find the requested resource");
            return;
        }
        if (active(Fault.Type.SERVER_ERROR, kind) != null) {
            KubernetesEmulator.status(ex, 500, "InternalError", "etcdserver: request timed out");
            return;
        }
        String continueToken = query.get("continue");
        int start = 0;
        if (continueToken != null) {
            Fault expired = active(Fault.Type.EXPIRED, kind);
            if (expired != null && spend(expired)) {
                KubernetesEmulator.status(
                        ex,
                        410,
                        "Expired",
                        "The provided continue parameter is too old to display a "
                                + "consistent list result. You can start a new list without the continue parameter.");
                return;
            }
            Integer decoded = decode(continueToken);
            if (decoded == null) {
                KubernetesEmulator.status(
                        ex, 400, "BadRequest", "continue key is not valid: " + continueToken);
                return;
            }
            start = decoded;
        }
        List<byte[]> all = items.getOrDefault(kind, List.of());
        int limit = Integer.parseInt(query.getOrDefault("limit", "0"));
        int end = limit > 0 ? Math.min(all.size(), start + limit) : all.size();
        String next = end < all.size() ? encode(end) : null;
        if (active(Fault.Type.REPEATED_CONTINUE, kind) != null) {
            next = continueToken != null ? continueToken : encode(Math.min(end, all.size()));
        }
        if (continueToken == null && active(Fault.Type.BROKEN_CONTINUE, kind) != null) {
            next = "not-a-continue-token";
        }
        if (active(Fault.Type.HUGE_BODY, kind) != null) {
            huge(ex, kind, all);
            return;
        }
        ByteArrayOutputStream page = new ByteArrayOutputStream();
        page.write(
                KubernetesEmulator.listHead(type(kind), "4711", next)
                        .getBytes(StandardCharsets.UTF_8));
        for (int i = start; i < end; i++) {
            if (i > start) {
                page.write(',');
            }
            page.write(all.get(i));
        }
        page.write("]}".getBytes(StandardCharsets.UTF_8));
        byte[] body = page.toByteArray();
        if (continueToken == null && active(Fault.Type.TRUNCATED, kind) != null) {
            body = java.util.Arrays.copyOf(body, body.length / 2);
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** A whole, valid list of 50 MB, streamed without Content-Length. */
    private void huge(HttpExchange ex, String kind, List<byte[]> all) throws IOException {
        byte[] item =
                all.isEmpty()
                        ? "{\"metadata\":{\"name\":\"pad\"},\"spec\":{\"containers\":[]}}"
                                .getBytes(StandardCharsets.UTF_8)
                        : all.get(0);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = new BufferedOutputStream(ex.getResponseBody(), 1 << 16)) {
            out.write(
                    KubernetesEmulator.listHead(type(kind), "4711", null)
                            .getBytes(StandardCharsets.UTF_8));
            long written = 0;
            boolean first = true;
            while (written < HUGE_BYTES) {
                if (!first) {
                    out.write(',');
                }
                out.write(item);
                written += item.length + 1;
                first = false;
            }
            out.write("]}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private Fault active(Fault.Type type, String kind) {
        for (Fault f : faults) {
            if (f.type() == type
                    && f.appliesTo(kind)
                    && spent.computeIfAbsent(f, k -> new AtomicInteger()).get() < f.times()) {
                return f;
            }
        }
        return null;
    }

    private boolean spend(Fault f) {
        return spent.computeIfAbsent(f, k -> new AtomicInteger()).incrementAndGet() <= f.times();
    }

    private static String encode(int start) {
        String json = "{\"v\":\"meta.k8s.io/v1\",\"rv\":4711,\"start\":\"" + start + "\"}";
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Integer decode(String token) {
        try {
            JsonNode n = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(token));
            return Integer.parseInt(n.path("start").asText());
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static void sleep(Duration d) {
        if (!d.isZero()) {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
