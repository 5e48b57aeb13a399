package io.acrretention.inventory.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.inventory.http.BearerHttp;
import io.acrretention.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reads an AKS cluster's API server and CA through Azure Resource Manager ({@code POST
 * {resourceId}/listClusterUserCredential}), so a cluster can be configured by its resource id
 * alone. The user kubeconfig of an Entra-enabled cluster holds no secret, only where and whom to
 * trust.
 */
final class AksCredentials {
    static final String API_VERSION = "2024-05-01";

    private final ArmEndpoint arm;
    private final BearerHttp http;

    AksCredentials(ArmEndpoint arm, BearerHttp http) {
        this.arm = arm;
        this.http = http;
    }

    Kubeconfig read(String resourceId) {
        URI uri =
                URI.create(
                        arm.base()
                                + resourceId
                                + "/listClusterUserCredential?api-version="
                                + API_VERSION);
        JsonNode body;
        try (InputStream in = http.post(uri)) {
            body = Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "POST " + uri + " failed: " + KubernetesSource.describe(e), e);
        }
        try {
            return Kubeconfig.parse(kubeconfigYaml(body));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "POST " + uri + " answered an unusable kubeconfig: " + e.getMessage(), e);
        }
    }

    /**
     * The {@code clusterUser} entry of {@code {"kubeconfigs":[{"name":...,"value":"<base64
     * YAML>"}]}}, else the first.
     */
    private static String kubeconfigYaml(JsonNode body) {
        JsonNode configs = body == null ? null : body.get("kubeconfigs");
        if (configs == null || !configs.isArray() || configs.isEmpty()) {
            throw new IllegalArgumentException("the answer has no kubeconfigs");
        }
        JsonNode chosen = configs.get(0);
        for (JsonNode c : configs) {
            if ("clusterUser".equals(c.path("name").asText())) {
                chosen = c;
                break;
            }
        }
        JsonNode value = chosen.get("value");
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("the kubeconfig entry has no value");
        }
        try {
            return new String(
                    Base64.getMimeDecoder().decode(value.asText()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the kubeconfig value is not base64", e);
        }
    }
}
