package io.acrretention.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.acrretention.image.RegistryNames;
import io.acrretention.json.Json;
import io.acrretention.retention.RetentionPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and validates the configuration document; every problem is reported with its JSON path. */
public final class ConfigParser {
    private static final Pattern REGISTRY_NAME =
            Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?");
    // A custom resource's API group is a DNS subdomain; the core group has no custom resources.
    private static final Pattern API_GROUP =
            Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");
    private static final Pattern API_VERSION =
            Pattern.compile("v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?");
    private static final Pattern RESOURCE = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private ConfigParser() {}

    /**
     * @param source where the document came from (a file, an app setting), quoted in errors
     */
    public static RetentionConfig parse(String json, String source) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException(
                    source,
                    List.of(
                            "not valid JSON: "
                                    + e.getOriginalMessage()
                                    + " at line "
                                    + e.getLocation().getLineNr()
                                    + ", column "
                                    + e.getLocation().getColumnNr()));
        }
        Problems problems = new Problems();
        if (root == null || !root.isObject()) {
            problems.add("$", "must be a JSON object, got " + Problems.describe(root));
            problems.throwIfAny(source);
        }
        ObjectNode obj = (ObjectNode) root;
        problems.rejectUnknownKeys(obj, "$", Set.of("registries", "clusters", "policy", "limits"));
        List<RegistryConfig> registries = registries(obj.get("registries"), problems);
        List<ClusterConfig> clusters = clusters(obj.get("clusters"), problems);
        AudienceRules.check(obj, problems);
        RetentionPolicy policy = PolicyParser.parse(obj.get("policy"), "policy", problems);
        Limits limits = limits(obj.get("limits"), problems);
        requirePullLogs(registries, policy, problems);
        problems.throwIfAny(source);
        return new RetentionConfig(registries, clusters, policy, limits);
    }

    /**
     * {@code keepPulledWithin} needs every registry's pull logs: without them, every pull would
     * look absent.
     */
    private static void requirePullLogs(
            List<RegistryConfig> registries, RetentionPolicy policy, Problems problems) {
        if (policy.pullWindow().isEmpty()) {
            return;
        }
        for (int i = 0; i < registries.size(); i++) {
            if (registries.get(i).pullLogs() == null) {
                problems.add(
                        "registries[" + i + "].pullLogs",
                        "is required when policy.keepPulledWithin is set: "
                                + "without the registry's pull logs every image would look unpulled");
            }
        }
    }

    private static List<RegistryConfig> registries(JsonNode node, Problems problems) {
        List<RegistryConfig> out = new ArrayList<>();
        if (node == null || !node.isArray() || node.isEmpty()) {
            problems.add(
                    "registries",
                    "must be a non-empty array of {endpoint, loginServer?, aliases?}, got "
                            + Problems.describe(node));
            return out;
        }
        // Every name (login server or alias) in normal form -> where it was configured: one name,
        // one registry.
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "registries[" + i + "]";
            if (!problems.isObject(node.get(i), path)) {
                continue;
            }
            ObjectNode r = (ObjectNode) node.get(i);
            problems.rejectUnknownKeys(
                    r,
                    path,
                    Set.of(
                            "endpoint",
                            "loginServer",
                            "audience",
                            "aliases",
                            "pullLogs",
                            "sku",
                            "writesPerMinute",
                            "readsPerMinute"));
            URI endpoint =
                    httpsUri(
                            problems.string(r, "endpoint", path, null),
                            path + ".endpoint",
                            problems);
            if (endpoint == null) {
                continue;
            }
            String loginServer =
                    registryName(
                            problems.string(r, "loginServer", path, endpoint.getAuthority()),
                            path + ".loginServer",
                            seen,
                            problems);
            List<String> aliases = new ArrayList<>();
            List<String> aliasTexts = problems.strings(r, "aliases", path, List.of());
            for (int a = 0; a < aliasTexts.size(); a++) {
                String alias =
                        registryName(
                                aliasTexts.get(a), path + ".aliases[" + a + "]", seen, problems);
                if (alias != null) {
                    aliases.add(alias);
                }
            }
            out.add(
                    new RegistryConfig(
                            endpoint,
                            loginServer,
                            problems.string(r, "audience", path, null),
                            aliases,
                            PullLogsConfig.parse(r.get("pullLogs"), path + ".pullLogs", problems),
                            RegistryQuota.parse(r, path, problems)));
        }
        return out;
    }

    /**
     * A login server or alias in normal form (lower case, no :443), or null with a problem
     * recorded.
     */
    private static String registryName(
            String text, String path, Map<String, String> seen, Problems problems) {
        String name = RegistryNames.normalize(text);
        if (!REGISTRY_NAME.matcher(name).matches()) {
            problems.add(path, "must be host[:port], got '" + text + "'");
            return null;
        }
        String before = seen.putIfAbsent(name, path);
        if (before != null) {
            problems.add(
                    path,
                    "registry name '"
                            + name
                            + "' is configured twice (first at "
                            + before
                            + "): one name stands for one registry");
        }
        return name;
    }

    private static List<ClusterConfig> clusters(JsonNode node, Problems problems) {
        List<ClusterConfig> out = new ArrayList<>();
        if (node == null || !node.isArray()) {
            // No cluster means no inventory at all: nothing could ever be proved unused.
            problems.add(
                    "clusters", "must be an array of clusters, got " + Problems.describe(node));
            return out;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "clusters[" + i + "]";
            if (!problems.isObject(node.get(i), path)) {
                continue;
            }
            ObjectNode c = (ObjectNode) node.get(i);
            String name = problems.string(c, "name", path, null);
            if (name == null || !CLUSTER_NAME.matcher(name).matches()) {
                problems.add(
                        path + ".name",
                        "is required: letters, digits, '.', '_', '-', got "
                                + Problems.describe(c.get("name")));
            } else if (!names.add(name)) {
                problems.add(path + ".name", "cluster '" + name + "' is configured twice");
            }
            String kind = problems.string(c, "kind", path, "kubernetes");
            switch (kind) {
                case "kubernetes" -> out.add(kubernetes(c, path, name, problems));
                case "endpoint" -> out.add(endpoint(c, path, name, problems));
                default ->
                        problems.add(
                                path + ".kind",
                                "must be 'kubernetes' or 'endpoint', got '" + kind + "'");
            }
        }
        return out;
    }

    private static ClusterConfig kubernetes(
            ObjectNode c, String path, String name, Problems problems) {
        problems.rejectUnknownKeys(
                c,
                path,
                Set.of(
                        "name",
                        "kind",
                        "server",
                        "caFile",
                        "caData",
                        "resourceId",
                        "audience",
                        "extraResources",
                        "minImages"));
        String serverText = problems.string(c, "server", path, null);
        String caFile = problems.string(c, "caFile", path, null);
        String caData = problems.string(c, "caData", path, null);
        String resourceId = problems.string(c, "resourceId", path, null);
        URI server = null;
        if (resourceId != null) {
            if (!resourceId.matches(
                    "(?i)/subscriptions/[^/]+/resourceGroups/[^/]+/providers/"
                            + "Microsoft\\.ContainerService/managedClusters/[^/]+")) {
                problems.add(
                        path + ".resourceId",
                        "must be an AKS cluster resource id "
                                + "(/subscriptions/.../resourceGroups/.../providers/Microsoft.ContainerService/managedClusters/NAME), got '"
                                + resourceId
                                + "'");
            }
            if (serverText != null || caFile != null || caData != null) {
                problems.add(path, "give either resourceId or server with caFile/caData, not both");
            }
        } else {
            server = httpsUri(serverText, path + ".server", problems);
            if (caFile == null && caData == null) {
                problems.add(
                        path,
                        "needs the cluster CA: caFile or caData (PEM), or a resourceId to read it from");
            } else if (caFile != null && caData != null) {
                problems.add(path, "give caFile or caData, not both");
            }
        }
        String audience = problems.string(c, "audience", path, ClusterConfig.AKS_AUDIENCE);
        return new ClusterConfig(
                name,
                ClusterConfig.Kind.KUBERNETES,
                server,
                caFile,
                caData,
                resourceId,
                null,
                audience,
                extraResources(c.get("extraResources"), path + ".extraResources", problems),
                problems.nonNegativeInt(c, "minImages", path, 0));
    }

    private static ClusterConfig endpoint(
            ObjectNode c, String path, String name, Problems problems) {
        problems.rejectUnknownKeys(
                c,
                path,
                Set.of("name", "kind", "url", "audience", "caFile", "caData", "minImages"));
        URI url = httpsUri(problems.string(c, "url", path, null), path + ".url", problems);
        String audience = problems.string(c, "audience", path, null);
        if (audience == null) {
            problems.add(
                    path + ".audience", "is required: the Entra audience of the endpoint's token");
        }
        return new ClusterConfig(
                name,
                ClusterConfig.Kind.ENDPOINT,
                null,
                problems.string(c, "caFile", path, null),
                problems.string(c, "caData", path, null),
                null,
                url,
                audience,
                List.of(),
                problems.nonNegativeInt(c, "minImages", path, 0));
    }

    private static List<ExtraResource> extraResources(
            JsonNode node, String path, Problems problems) {
        List<ExtraResource> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            problems.add(
                    path,
                    "must be an array of {group, version, resource}, got "
                            + Problems.describe(node));
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String p = path + "[" + i + "]";
            if (!problems.isObject(node.get(i), p)) {
                continue;
            }
            ObjectNode r = (ObjectNode) node.get(i);
            problems.rejectUnknownKeys(r, p, Set.of("group", "version", "resource"));
            String group =
                    required(
                            r,
                            "group",
                            p,
                            API_GROUP,
                            "an API group such as 'argoproj.io'",
                            problems);
            String version =
                    required(
                            r,
                            "version",
                            p,
                            API_VERSION,
                            "an API version such as 'v1alpha1'",
                            problems);
            String resource =
                    required(
                            r,
                            "resource",
                            p,
                            RESOURCE,
                            "the plural resource name such as 'rollouts'",
                            problems);
            if (group != null && version != null && resource != null) {
                ExtraResource extra = new ExtraResource(group, version, resource);
                if (!seen.add(extra.path())) {
                    problems.add(p, "'" + extra + "' is listed twice");
                }
                out.add(extra);
            }
        }
        return out;
    }

    private static String required(
            ObjectNode node,
            String key,
            String path,
            Pattern pattern,
            String what,
            Problems problems) {
        String value = problems.string(node, key, path, null);
        if (value == null || !pattern.matcher(value).matches()) {
            problems.add(
                    path + "." + key,
                    "must be " + what + ", got " + Problems.describe(node.get(key)));
            return null;
        }
        return value;
    }

    private static Limits limits(JsonNode node, Problems problems) {
        Limits d = Limits.defaults();
        if (node == null || node.isNull() || !problems.isObject(node, "limits")) {
            return d;
        }
        ObjectNode l = (ObjectNode) node;
        problems.rejectUnknownKeys(
                l,
                "limits",
                Set.of(
                        "clusterTimeout",
                        "inventoryDeadline",
                        "maxResponseBytes",
                        "deleteConcurrency",
                        "requestTimeout",
                        "repositoryConcurrency"));
        int concurrency =
                problems.nonNegativeInt(l, "deleteConcurrency", "limits", d.deleteConcurrency());
        if (concurrency < 1 || concurrency > 64) {
            problems.add(
                    "limits.deleteConcurrency", "must be between 1 and 64, got " + concurrency);
        }
        int repositories =
                problems.nonNegativeInt(
                        l, "repositoryConcurrency", "limits", d.repositoryConcurrency());
        if (repositories < 1 || repositories > 64) {
            problems.add(
                    "limits.repositoryConcurrency",
                    "must be between 1 and 64, got " + repositories);
        }
        long maxBytes = d.maxResponseBytes();
        JsonNode mb = l.get("maxResponseBytes");
        if (mb != null
                && (!mb.canConvertToLong() || !mb.isIntegralNumber() || mb.asLong() < 1024)) {
            problems.add(
                    "limits.maxResponseBytes",
                    "must be a whole number of at least 1024, got " + Problems.describe(mb));
        } else if (mb != null) {
            maxBytes = mb.asLong();
        }
        return new Limits(
                problems.duration(l, "clusterTimeout", "limits", d.clusterTimeout()),
                problems.duration(l, "inventoryDeadline", "limits", d.inventoryDeadline()),
                maxBytes,
                concurrency,
                problems.duration(l, "requestTimeout", "limits", d.requestTimeout()),
                repositories);
    }

    private static URI httpsUri(String text, String path, Problems problems) {
        if (text == null) {
            problems.add(path, "is required (an https:// URL)");
            return null;
        }
        try {
            URI uri = new URI(text);
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                problems.add(path, "must be an https:// URL with a host, got '" + text + "'");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            problems.add(path, "not a URL: '" + text + "' (" + e.getReason() + ")");
            return null;
        }
    }
}
