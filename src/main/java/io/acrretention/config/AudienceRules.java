package io.acrretention.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Tokens go only where they are meant to go. The app sends its managed identity's token for a
 * configured audience to a configured address: a configuration that pairs an address with the wrong
 * audience hands that address the identity's power. So:
 *
 * <ul>
 *   <li>an inventory endpoint, or a Kubernetes server that is not AKS, never gets a token for a
 *       well-known Azure audience (Resource Manager, storage, Key Vault, Graph, sign-in, SQL, ACR,
 *       DevOps...);
 *   <li>the AKS audience goes only to AKS API servers ({@code *.azmk8s.io}, private link included)
 *       and to clusters given by {@code resourceId}, whose server Resource Manager names;
 *   <li>a registry's token exchange uses an ACR or Resource Manager audience only, and a Resource
 *       Manager token only towards an Azure registry host.
 * </ul>
 *
 * Each forbidden pairing is a problem at the JSON path of the audience. This reads the document
 * itself, next to the parsers, so the rules stay in one place.
 */
final class AudienceRules {
    /**
     * Hosts (and their subdomains) of Azure's own resources, across the public and sovereign
     * clouds.
     */
    private static final List<String> AZURE_HOSTS =
            List.of(
                    "management.azure.com",
                    "management.core.windows.net",
                    "management.chinacloudapi.cn",
                    "management.core.chinacloudapi.cn",
                    "management.usgovcloudapi.net",
                    "management.core.usgovcloudapi.net",
                    "storage.azure.com",
                    "core.windows.net",
                    "core.chinacloudapi.cn",
                    "core.usgovcloudapi.net",
                    "vault.azure.net",
                    "vault.azure.cn",
                    "vault.usgovcloudapi.net",
                    "managedhsm.azure.net",
                    "graph.microsoft.com",
                    "graph.windows.net",
                    "graph.microsoft.us",
                    "microsoftgraph.chinacloudapi.cn",
                    "login.microsoftonline.com",
                    "login.windows.net",
                    "sts.windows.net",
                    "login.microsoftonline.us",
                    "login.chinacloudapi.cn",
                    "database.windows.net",
                    "database.chinacloudapi.cn",
                    "database.usgovcloudapi.net",
                    "servicebus.azure.net",
                    "eventhubs.azure.net",
                    "containerregistry.azure.net",
                    "api.loganalytics.io",
                    "monitor.azure.com",
                    "api.applicationinsights.io",
                    "cognitiveservices.azure.com",
                    "dev.azure.com",
                    "app.vssps.visualstudio.com",
                    "kusto.windows.net",
                    "datalake.azure.net");

    /**
     * Entra application ids of the same first-party resources, which a token may be asked for as
     * well.
     */
    private static final Set<String> AZURE_APP_IDS =
            Set.of(
                    "797f4846-ba00-4fd7-ba43-dac1f8f63013", // Azure Resource Manager
                    "00000003-0000-0000-c000-000000000000", // Microsoft Graph
                    "00000002-0000-0000-c000-000000000000", // Azure AD Graph
                    "e406a681-f3d4-42a8-90b6-c2b029497af1", // Azure Storage
                    "cfa8b339-82a2-471a-a3c9-0fc0be7a4093", // Azure Key Vault
                    "022907d3-0f1b-48f7-badc-1ba6abab6d66", // Azure SQL Database
                    "499b84ac-1321-427f-aa17-267ca6975798", // Azure DevOps
                    ClusterConfig.AKS_AUDIENCE);

    /** What a registry's token exchange may ask for: ACR itself, or Resource Manager of a cloud. */
    private static final Set<String> REGISTRY_AUDIENCES =
            Set.of(
                    "https://containerregistry.azure.net",
                    "https://management.azure.com",
                    "https://management.core.windows.net",
                    "https://management.chinacloudapi.cn",
                    "https://management.usgovcloudapi.net");

    private static final List<String> ACR_HOSTS = List.of("azurecr.io", "azurecr.cn", "azurecr.us");
    private static final String AKS_HOST = "azmk8s.io";

    private AudienceRules() {}

    /** Checks every cluster's and registry's audience against where its token goes. */
    static void check(ObjectNode root, Problems problems) {
        each(root.get("clusters"), "clusters", problems, AudienceRules::cluster);
        each(root.get("registries"), "registries", problems, AudienceRules::registry);
    }

    private interface Entry {
        void check(ObjectNode node, String path, Problems problems);
    }

    private static void each(JsonNode array, String name, Problems problems, Entry entry) {
        if (array == null || !array.isArray()) {
            return; // the parser reports it
        }
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i).isObject()) {
                entry.check((ObjectNode) array.get(i), name + "[" + i + "]", problems);
            }
        }
    }

    private static void cluster(ObjectNode c, String path, Problems problems) {
        String kind = text(c, "kind", "kubernetes");
        String given = text(c, "audience", null);
        String audience =
                given != null
                        ? given
                        : "kubernetes".equals(kind) ? ClusterConfig.AKS_AUDIENCE : null;
        if (audience == null) {
            return;
        }
        String where = path + ".audience";
        String target = "endpoint".equals(kind) ? text(c, "url", null) : text(c, "server", null);
        boolean aks = normal(audience).equals(ClusterConfig.AKS_AUDIENCE);
        if (aks && "kubernetes".equals(kind)) {
            if (c.hasNonNull("resourceId") || under(host(target), List.of(AKS_HOST))) {
                return;
            }
            problems.add(
                    where,
                    (given == null ? "is the AKS audience by default" : "is the AKS audience")
                            + ", whose token is sent only to AKS API servers (*."
                            + AKS_HOST
                            + ") or clusters given by "
                            + "resourceId; server '"
                            + target
                            + "' is neither: give its own audience, or its resourceId");
        } else if (wellKnown(audience)) {
            problems.add(
                    where,
                    "'"
                            + audience
                            + "' is an Azure resource's audience: its token would let '"
                            + target
                            + "' act as this app's identity there; give the audience of the "
                            + ("endpoint".equals(kind)
                                    ? "endpoint's own application (e.g. api://acr-retention-inventory)"
                                    : "cluster's own issuer"));
        }
    }

    private static void registry(ObjectNode r, String path, Problems problems) {
        String audience = text(r, "audience", null);
        if (audience == null) {
            return; // the SDK's default, ACR's own audience
        }
        String normal = normal(audience);
        String endpoint = text(r, "endpoint", null);
        if (!REGISTRY_AUDIENCES.contains(normal)) {
            problems.add(
                    path + ".audience",
                    "must be an ACR or Resource Manager audience ("
                            + String.join(", ", REGISTRY_AUDIENCES.stream().sorted().toList())
                            + "), got '"
                            + audience
                            + "'");
        } else if (normal.contains("management.") && !under(host(endpoint), ACR_HOSTS)) {
            problems.add(
                    path + ".audience",
                    "a Resource Manager token is exchanged only with an Azure registry "
                            + "(*.azurecr.io, .cn, .us); endpoint '"
                            + endpoint
                            + "' is not one: leave audience out for "
                            + "ACR's own audience");
        }
    }

    static boolean wellKnown(String audience) {
        String normal = normal(audience);
        if (AZURE_APP_IDS.contains(normal)
                || AZURE_APP_IDS.contains(normal.replaceFirst("^api://", ""))) {
            return true;
        }
        return under(host(normal), AZURE_HOSTS);
    }

    /** Lower case, without the {@code /.default} scope suffix or trailing slashes. */
    private static String normal(String audience) {
        return audience.strip()
                .toLowerCase(Locale.ROOT)
                .replaceFirst("/\\.default$", "")
                .replaceFirst("/+$", "");
    }

    private static String host(String url) {
        if (url == null) {
            return null;
        }
        try {
            String host = new URI(url.strip()).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT).replaceFirst("\\.$", "");
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static boolean under(String host, List<String> suffixes) {
        return host != null
                && suffixes.stream().anyMatch(s -> host.equals(s) || host.endsWith("." + s));
    }

    private static String text(ObjectNode node, String key, String fallback) {
        JsonNode v = node.get(key);
        return v != null && v.isTextual() ? v.asText() : fallback;
    }
}
