package io.acrretention.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a registry's pull logs are ({@code registries[].pullLogs}): its diagnostic settings send
 * {@code ContainerRegistryRepositoryEvents} to this Log Analytics workspace.
 *
 * @param workspaceId the workspace (customer) id, a GUID
 * @param excludeIdentities identities whose pulls do not count (image scanners, node pre-pullers)
 * @param endpoint the Logs query API; the public cloud's unless a sovereign cloud (or a test) says
 *     so
 */
public record PullLogsConfig(String workspaceId, List<String> excludeIdentities, URI endpoint) {
    public static final URI PUBLIC_ENDPOINT = URI.create("https://api.loganalytics.io");
    private static final Pattern GUID =
            Pattern.compile(
                    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    // The Logs query API of each Azure cloud. The token for it goes only there (or to a loopback
    // test double):
    // the endpoint is configuration, and a configuration must not be able to send a token
    // elsewhere.
    private static final Set<String> QUERY_HOSTS =
            Set.of("api.loganalytics.io", "api.loganalytics.azure.cn", "api.loganalytics.us");

    public PullLogsConfig {
        excludeIdentities = List.copyOf(excludeIdentities);
    }

    static PullLogsConfig parse(JsonNode node, String path, Problems problems) {
        if (node == null || node.isNull() || !problems.isObject(node, path)) {
            return null;
        }
        ObjectNode obj = (ObjectNode) node;
        problems.rejectUnknownKeys(
                obj, path, Set.of("workspaceId", "excludeIdentities", "endpoint"));
        String workspace = problems.string(obj, "workspaceId", path, null);
        if (workspace == null) {
            problems.add(
                    path + ".workspaceId", "is required: the Log Analytics workspace id (a GUID)");
        } else if (!GUID.matcher(workspace).matches()) {
            problems.add(
                    path + ".workspaceId",
                    "must be a workspace id (a GUID), got '" + workspace + "'");
        }
        List<String> excluded = problems.strings(obj, "excludeIdentities", path, List.of());
        for (int i = 0; i < excluded.size(); i++) {
            String id = excluded.get(i);
            if (id.isBlank() || id.chars().anyMatch(Character::isISOControl)) {
                problems.add(
                        path + ".excludeIdentities[" + i + "]",
                        "must be a non-blank identity without control " + "characters");
            }
        }
        URI endpoint = PUBLIC_ENDPOINT;
        String endpointText = problems.string(obj, "endpoint", path, null);
        if (endpointText != null) {
            endpoint = URI.create(endpointText.strip());
            String host = endpoint.getHost();
            boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host);
            if (!"https".equals(endpoint.getScheme())
                    || host == null
                    || !(QUERY_HOSTS.contains(host) || loopback)) {
                problems.add(
                        path + ".endpoint",
                        "must be https:// on one of "
                                + QUERY_HOSTS.stream().sorted().toList()
                                + " (the Logs query API that the token is for), got '"
                                + endpointText
                                + "'");
            }
        }
        return new PullLogsConfig(workspace, excluded, endpoint);
    }
}
