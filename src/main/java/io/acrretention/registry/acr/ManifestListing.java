package io.acrretention.registry.acr;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.models.ResponseError;
import com.azure.core.util.Context;
import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /acr/v1/{name}/_manifests}, every page, read raw on the SDK's read pipeline (its token
 * exchange and retries). 1.2.6's models ({@code ArtifactManifestProperties}, {@code
 * ManifestAttributesBase}) drop {@code mediaType}, and the media type decides which manifests must
 * be read for their children.
 */
final class ManifestListing {
    /**
     * One manifest as listed; {@code references} as the listing gave them (often empty for an
     * index).
     */
    record Listed(
            String digest,
            String mediaType,
            long sizeBytes,
            Instant createdTime,
            Instant lastUpdateTime,
            boolean deleteEnabled,
            boolean writeEnabled,
            List<String> references) {}

    private ManifestListing() {}

    static List<Listed> list(AcrClients clients, String repository) {
        List<Listed> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String next =
                "/acr/v1/" + URLEncoder.encode(repository, StandardCharsets.UTF_8) + "/_manifests";
        while (next != null) {
            if (!seen.add(next)) {
                throw new IllegalStateException(
                        "the manifest listing sent the same next page twice: " + next);
            }
            HttpRequest request =
                    new HttpRequest(HttpMethod.GET, clients.endpoint + next)
                            .setHeader(HttpHeaderName.ACCEPT, "application/json");
            try (HttpResponse response = clients.readPipeline.sendSync(request, Context.NONE)) {
                byte[] body = response.getBodyAsBinaryData().toBytes();
                JsonNode json = body.length == 0 ? null : Json.MAPPER.readTree(body);
                if (response.getStatusCode() != 200) {
                    // Thrown as the SDK would, so AcrErrors maps it with every other failure (429
                    // stays THROTTLED).
                    JsonNode error = json == null ? null : json.path("errors").path(0);
                    ResponseError value =
                            error == null || error.isMissingNode()
                                    ? null
                                    : new ResponseError(
                                            error.path("code").asText(""),
                                            error.path("message").asText(""));
                    throw new HttpResponseException(
                            "status " + response.getStatusCode(), response, value);
                }
                if (json == null
                        || !json.path("manifests").isArray()
                                && !json.path("manifests").isMissingNode()) {
                    throw new IllegalStateException(
                            "the manifest listing is not ACR's shape: " + next);
                }
                for (JsonNode m : json.path("manifests")) {
                    out.add(listed(m));
                }
                next = nextLink(response.getHeaderValue(HttpHeaderName.fromString("Link")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static Listed listed(JsonNode m) {
        String digest = m.path("digest").asText(null);
        if (digest == null || digest.isBlank()) {
            throw new IllegalStateException("a listed manifest has no digest: " + m);
        }
        List<String> references = new ArrayList<>();
        m.path("references")
                .forEach(
                        r -> {
                            if (r.hasNonNull("digest")) {
                                references.add(r.get("digest").asText());
                            }
                        });
        JsonNode attributes = m.path("changeableAttributes");
        return new Listed(
                digest,
                m.hasNonNull("mediaType") ? m.get("mediaType").asText() : null,
                m.path("imageSize").asLong(0),
                time(m, "createdTime"),
                time(m, "lastUpdateTime"),
                attributes.path("deleteEnabled").asBoolean(true),
                attributes.path("writeEnabled").asBoolean(true),
                references);
    }

    private static Instant time(JsonNode m, String field) {
        String text = m.path(field).asText(null);
        try {
            return text == null ? null : java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // A time we cannot read is missing, and the planner treats a missing time as young.
            return null;
        }
    }

    /**
     * ACR's {@code Link: </acr/v1/...>; rel="next"}: a path on the same registry. Anything else is
     * refused: following an absolute URL would send the registry's token to another host.
     */
    static String nextLink(String link) {
        if (link == null || link.isBlank()) {
            return null;
        }
        String v = link.trim();
        int end = v.indexOf('>');
        if (!v.startsWith("<") || end < 0 || !v.substring(1, end).startsWith("/")) {
            throw new IllegalStateException(
                    "unexpected Link header on the manifest listing: " + link);
        }
        return v.substring(1, end);
    }
}
