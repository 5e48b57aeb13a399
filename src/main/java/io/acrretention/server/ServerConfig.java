package io.acrretention.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.acrretention.config.ConfigException;
import io.acrretention.config.Problems;
import io.acrretention.json.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The inventory server's settings: a JSON file (usually a mounted ConfigMap) with environment
 * variables on top. Every setting is described in {@code deploy/kubernetes/README.md}; defaults
 * suit a pod.
 *
 * @param port 0 picks a free port (tests)
 * @param healthPort where {@code /healthz} is served on its own threads, so callers that hold the
 *     main port cannot fail the probes; 0 picks a free port (tests)
 * @param tls null: plain HTTP, for use behind an ingress or a mesh that terminates TLS
 * @param cacheTtl how long one listing answers every caller
 * @param listTimeout how long one listing of the cluster may take before it answers 503
 * @param requestTimeout how long one exchange may take, reading the request to writing the answer;
 *     a caller that sends or reads too slowly is cut off then
 */
public record ServerConfig(
        String bindAddress,
        int port,
        int healthPort,
        Tls tls,
        Duration cacheTtl,
        Duration listTimeout,
        Duration requestTimeout,
        Kubernetes kubernetes,
        Oidc oidc,
        List<IssuerConfig> issuers) {
    public static final String SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

    /** PEM certificate chain and PKCS#8 key, or a PKCS12 file and its password. */
    public record Tls(Path certFile, Path keyFile, Path pkcs12File, String pkcs12Password) {}

    /**
     * The cluster's own API, read through the pod's service account.
     *
     * @param tokenRefresh how long a read token is reused before the file is read again (projected
     *     tokens rotate)
     */
    public record Kubernetes(
            URI server,
            Path tokenFile,
            Path caFile,
            Duration tokenRefresh,
            int pageSize,
            Duration requestTimeout,
            long maxResponseBytes) {}

    /**
     * Fetching issuers' discovery documents and keys.
     *
     * @param minKeyRefresh an unknown key id refetches the keys at most this often
     * @param maxKeyAge keys older than this are fetched again before use (a revoked key stops
     *     working)
     */
    public record Oidc(Duration timeout, Duration minKeyRefresh, Duration maxKeyAge) {}

    private static final Map<String, String> ENV_KEYS = new LinkedHashMap<>();

    static {
        ENV_KEYS.put("INVENTORY_BIND_ADDRESS", "bindAddress");
        ENV_KEYS.put("INVENTORY_PORT", "port");
        ENV_KEYS.put("INVENTORY_HEALTH_PORT", "healthPort");
        ENV_KEYS.put("INVENTORY_CACHE_TTL", "cacheTtl");
        ENV_KEYS.put("INVENTORY_LIST_TIMEOUT", "listTimeout");
        ENV_KEYS.put("INVENTORY_TLS_CERT_FILE", "tls.certFile");
        ENV_KEYS.put("INVENTORY_TLS_KEY_FILE", "tls.keyFile");
        ENV_KEYS.put("INVENTORY_TLS_PKCS12_FILE", "tls.pkcs12File");
        ENV_KEYS.put("INVENTORY_KUBERNETES_SERVER", "kubernetes.server");
        ENV_KEYS.put("INVENTORY_SA_TOKEN_FILE", "kubernetes.tokenFile");
        ENV_KEYS.put("INVENTORY_SA_CA_FILE", "kubernetes.caFile");
    }

    /**
     * Reads {@code file} (or the file named by {@code INVENTORY_CONFIG}; neither: settings from the
     * environment only) and applies the environment on top.
     *
     * @throws ConfigException naming every problem and where it is
     */
    public static ServerConfig load(Path file, Map<String, String> env) {
        Path chosen =
                file != null
                        ? file
                        : env.containsKey("INVENTORY_CONFIG")
                                ? Path.of(env.get("INVENTORY_CONFIG"))
                                : null;
        if (chosen == null) {
            return parse("{}", "the environment", env);
        }
        try {
            return parse(
                    Files.readString(chosen, StandardCharsets.UTF_8),
                    chosen + " and the environment",
                    env);
        } catch (IOException e) {
            throw new ConfigException(chosen.toString(), List.of("cannot read the file: " + e));
        }
    }

    public static ServerConfig parse(String json, String source, Map<String, String> env) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, List.of("not valid JSON: " + e.getOriginalMessage()));
        }
        Problems p = new Problems();
        if (root == null || !root.isObject()) {
            p.add("$", "must be a JSON object, got " + Problems.describe(root));
            p.throwIfAny(source);
        }
        ObjectNode obj = (ObjectNode) root;
        applyEnvironment(obj, env, p);
        p.rejectUnknownKeys(
                obj,
                "$",
                Set.of(
                        "bindAddress",
                        "port",
                        "healthPort",
                        "tls",
                        "cacheTtl",
                        "listTimeout",
                        "requestTimeout",
                        "kubernetes",
                        "oidc",
                        "issuers"));
        int port = port(p, obj, "port", 8080);
        int healthPort = port(p, obj, "healthPort", 8081);
        if (port != 0 && port == healthPort) {
            p.add("healthPort", "must differ from port (" + port + "): /healthz is served apart");
        }
        Duration cacheTtl = p.duration(obj, "cacheTtl", "$", Duration.ofSeconds(10));
        if (cacheTtl.compareTo(Duration.ofMinutes(5)) > 0) {
            p.add(
                    "cacheTtl",
                    "must be at most PT5M: callers expect a current inventory, got " + cacheTtl);
        }
        Duration listTimeout = positive(p, obj, "listTimeout", "$", Duration.ofSeconds(25));
        Duration requestTimeout =
                p.duration(obj, "requestTimeout", "$", listTimeout.plusSeconds(5));
        if (requestTimeout.compareTo(listTimeout) <= 0) {
            p.add(
                    "requestTimeout",
                    "must be longer than listTimeout ("
                            + listTimeout
                            + "), or a slow listing "
                            + "is cut off before it can answer; got "
                            + requestTimeout);
        }
        ServerConfig config =
                new ServerConfig(
                        p.string(obj, "bindAddress", "$", "0.0.0.0"),
                        port,
                        healthPort,
                        tls(section(obj, "tls", p), env.get("INVENTORY_TLS_PKCS12_PASSWORD"), p),
                        cacheTtl,
                        listTimeout,
                        requestTimeout,
                        kubernetes(section(obj, "kubernetes", p), env, p),
                        oidc(section(obj, "oidc", p), p),
                        IssuerRules.parse(obj.get("issuers"), p));
        p.throwIfAny(source);
        return config;
    }

    private static int port(Problems p, ObjectNode obj, String key, int fallback) {
        int port = p.nonNegativeInt(obj, key, "$", fallback);
        if (port > 65535) {
            p.add(key, "must be at most 65535, got " + port);
        }
        return port;
    }

    private static void applyEnvironment(ObjectNode root, Map<String, String> env, Problems p) {
        ENV_KEYS.forEach(
                (name, key) -> {
                    String value = env.get(name);
                    if (value == null || value.isBlank()) {
                        return;
                    }
                    ObjectNode target = root;
                    String[] parts = key.split("\\.");
                    if (parts.length == 2) {
                        JsonNode existing = root.get(parts[0]);
                        target =
                                existing != null && existing.isObject()
                                        ? (ObjectNode) existing
                                        : root.putObject(parts[0]);
                    }
                    String field = parts[parts.length - 1];
                    if (field.equals("port") || field.equals("healthPort")) {
                        try {
                            target.put(field, Integer.parseInt(value.strip()));
                        } catch (NumberFormatException e) {
                            p.add(name, "must be a port number, got '" + value + "'");
                        }
                    } else {
                        target.put(field, value.strip());
                    }
                });
        String issuers = env.get("INVENTORY_ISSUERS");
        if (issuers != null && !issuers.isBlank()) {
            try {
                root.set("issuers", Json.MAPPER.readTree(issuers));
            } catch (JsonProcessingException e) {
                p.add("INVENTORY_ISSUERS", "not valid JSON: " + e.getOriginalMessage());
            }
        }
    }

    private static ObjectNode section(ObjectNode root, String key, Problems p) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        return p.isObject(node, key) ? (ObjectNode) node : null;
    }

    private static Tls tls(ObjectNode t, String password, Problems p) {
        if (t == null) {
            return null;
        }
        p.rejectUnknownKeys(t, "tls", Set.of("certFile", "keyFile", "pkcs12File"));
        Path cert = path(p.string(t, "certFile", "tls", null));
        Path key = path(p.string(t, "keyFile", "tls", null));
        Path pkcs12 = path(p.string(t, "pkcs12File", "tls", null));
        boolean pem = cert != null || key != null;
        if (pem && pkcs12 != null) {
            p.add("tls", "give either certFile and keyFile or pkcs12File, not both");
        } else if (pem && (cert == null || key == null)) {
            p.add(
                    "tls",
                    "certFile and keyFile go together; got only "
                            + (cert == null ? "keyFile" : "certFile"));
        } else if (!pem && pkcs12 == null) {
            return null;
        }
        return new Tls(cert, key, pkcs12, password);
    }

    private static Kubernetes kubernetes(ObjectNode k, Map<String, String> env, Problems p) {
        ObjectNode node = k == null ? Json.MAPPER.createObjectNode() : k;
        p.rejectUnknownKeys(
                node,
                "kubernetes",
                Set.of(
                        "server",
                        "tokenFile",
                        "caFile",
                        "tokenRefresh",
                        "pageSize",
                        "requestTimeout",
                        "maxResponseBytes"));
        String server = p.string(node, "server", "kubernetes", serviceHost(env));
        URI uri = null;
        if (server == null) {
            p.add(
                    "kubernetes.server",
                    "not set, and KUBERNETES_SERVICE_HOST is not set either (is this a pod?)");
        } else {
            try {
                uri = URI.create(server);
                if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    p.add("kubernetes.server", "must be an https URL, got '" + server + "'");
                }
            } catch (IllegalArgumentException e) {
                p.add("kubernetes.server", "not a URL: '" + server + "'");
            }
        }
        int pageSize = p.nonNegativeInt(node, "pageSize", "kubernetes", 500);
        if (pageSize < 1) {
            p.add("kubernetes.pageSize", "must be at least 1");
        }
        int maxBytes = p.nonNegativeInt(node, "maxResponseBytes", "kubernetes", 32 * 1024 * 1024);
        return new Kubernetes(
                uri,
                Path.of(p.string(node, "tokenFile", "kubernetes", SERVICE_ACCOUNT + "/token")),
                Path.of(p.string(node, "caFile", "kubernetes", SERVICE_ACCOUNT + "/ca.crt")),
                p.duration(node, "tokenRefresh", "kubernetes", Duration.ofMinutes(1)),
                pageSize,
                positive(p, node, "requestTimeout", "kubernetes", Duration.ofSeconds(20)),
                maxBytes);
    }

    /** {@code https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT}, as every pod is given. */
    private static String serviceHost(Map<String, String> env) {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        if (host == null || host.isBlank()) {
            return null;
        }
        String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
        return "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static Oidc oidc(ObjectNode o, Problems p) {
        ObjectNode node = o == null ? Json.MAPPER.createObjectNode() : o;
        p.rejectUnknownKeys(node, "oidc", Set.of("timeout", "minKeyRefresh", "maxKeyAge"));
        // A refresh interval under a second lets made-up key ids turn this server into a flood on
        // the issuer;
        // keys kept longer than a day keep a key the issuer withdrew working for too long.
        Duration timeout =
                within(
                        p,
                        node,
                        "timeout",
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(30));
        Duration minRefresh =
                within(
                        p,
                        node,
                        "minKeyRefresh",
                        Duration.ofMinutes(1),
                        Duration.ofSeconds(1),
                        Duration.ofHours(1));
        Duration maxAge =
                within(
                        p,
                        node,
                        "maxKeyAge",
                        Duration.ofHours(1),
                        Duration.ofMinutes(1),
                        Duration.ofDays(1));
        if (maxAge.compareTo(minRefresh) < 0) {
            p.add(
                    "oidc.maxKeyAge",
                    "must not be shorter than minKeyRefresh (" + minRefresh + "), got " + maxAge);
        }
        return new Oidc(timeout, minRefresh, maxAge);
    }

    private static Duration within(
            Problems p,
            ObjectNode node,
            String key,
            Duration fallback,
            Duration min,
            Duration max) {
        Duration d = p.duration(node, key, "oidc", fallback);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            p.add("oidc." + key, "must be between " + min + " and " + max + ", got " + d);
        }
        return d;
    }

    private static Duration positive(
            Problems p, ObjectNode node, String key, String path, Duration fallback) {
        Duration d = p.duration(node, key, path, fallback);
        if (d.isZero()) {
            p.add(("$".equals(path) ? "" : path + ".") + key, "must be longer than zero");
        }
        return d;
    }

    static Path path(String s) {
        return s == null ? null : Path.of(s);
    }
}
