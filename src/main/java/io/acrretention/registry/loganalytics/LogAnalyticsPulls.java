package io.acrretention.registry.loganalytics;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.util.BinaryData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.acrretention.image.RegistryNames;
import io.acrretention.json.Json;
import io.acrretention.registry.PullLogException;
import io.acrretention.registry.PullLogs;
import io.acrretention.registry.RecentPulls;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the last pulls of a registry's images from its diagnostic logs in a Log Analytics
 * workspace, over the Logs query REST API ({@code POST /v1/workspaces/{id}/query}, audience {@code
 * https://api.loganalytics.io}), through an azure-core pipeline: a bearer-token policy and retries
 * that honour {@code Retry-After} (429, 5xx). The azure-monitor-query client is not used because
 * its jars are not served by our Maven mirror; the call is one POST with a documented answer
 * (tables, columns, rows).
 *
 * <p>Anything but a whole answer fails with {@link PullLogException}: a status other than 200 after
 * retries, a 200 that carries an {@code error} (the service's "partial result"), a body without the
 * expected table and columns, or an unparsable time. "No rows" is only ever read from a whole,
 * well-formed answer.
 */
public final class LogAnalyticsPulls implements PullLogs {
    public static final String AUDIENCE = "https://api.loganalytics.io";
    private static final String SCOPE = AUDIENCE + "/.default";

    /**
     * Where one registry's logs are: the configuration's {@code registries[].pullLogs}, as the
     * composition root hands it over (this adapter does not read the configuration itself).
     *
     * @param workspaceId the workspace (customer) id
     * @param excludeIdentities identities whose pulls do not count
     * @param endpoint the Logs query API
     */
    public record Workspace(String workspaceId, List<String> excludeIdentities, URI endpoint) {
        public Workspace {
            excludeIdentities = List.copyOf(excludeIdentities);
        }
    }

    private static final List<String> COLUMNS =
            List.of("LoginServer", "Repository", "Digest", "Tag", "LastPull");
    // A summarised answer: one row per image pulled in the window. Far above any real registry, and
    // a cap that a
    // broken or hostile answer cannot pass.
    private static final long MAX_BODY_BYTES = 64L << 20;

    private final Map<String, Workspace> registries;
    private final TokenCredential credential;
    private final HttpPipeline pipeline;

    /**
     * @param registries where the logs of each registry are, by its login server in normal form
     */
    public LogAnalyticsPulls(
            Map<String, Workspace> registries, TokenCredential credential, HttpClient httpClient) {
        this(registries, credential, httpClient, Duration.ofMillis(800));
    }

    /**
     * @param baseDelay the first back-off of the three retries (tests shorten it)
     */
    LogAnalyticsPulls(
            Map<String, Workspace> registries,
            TokenCredential credential,
            HttpClient httpClient,
            Duration baseDelay) {
        this.registries = Map.copyOf(registries);
        this.credential = credential;
        RetryOptions retries =
                new RetryOptions(
                        new ExponentialBackoffOptions()
                                .setMaxRetries(3)
                                .setBaseDelay(baseDelay)
                                .setMaxDelay(baseDelay.multipliedBy(10)));
        this.pipeline =
                new HttpPipelineBuilder()
                        .httpClient(httpClient)
                        .policies(
                                new RetryPolicy(retries),
                                new BearerTokenAuthenticationPolicy(credential, SCOPE))
                        .build();
    }

    /**
     * One query of the registry's workspace. Rows of other registries logging to the same workspace
     * are ignored; pulls by the configured {@code excludeIdentities} (scanners) and by this app's
     * own identity do not count.
     */
    @Override
    public RecentPulls lastPulls(String registry, Instant since, Instant until) {
        Workspace logs = registries.get(registry);
        if (logs == null) {
            throw new PullLogException("no pull logs are configured for " + registry);
        }
        String workspaceId = logs.workspaceId();
        Set<String> excluded = new TreeSet<>(logs.excludeIdentities());
        excluded.addAll(ownIdentities());
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("query", PullQuery.kql(excluded));
        body.put("timespan", PullQuery.timespan(since, until));
        HttpRequest request =
                new HttpRequest(
                                HttpMethod.POST,
                                logs.endpoint()
                                        .resolve("/v1/workspaces/" + workspaceId + "/query")
                                        .toString())
                        .setHeader(HttpHeaderName.CONTENT_TYPE, "application/json")
                        .setBody(BinaryData.fromString(body.toString()));
        String what = "pull logs of " + registry + " (workspace " + workspaceId + ")";
        JsonNode answer;
        try (HttpResponse response = pipeline.sendSync(request, com.azure.core.util.Context.NONE)) {
            answer = read(response, what);
        } catch (PullLogException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PullLogException(what + " could not be read: " + e.getMessage(), e);
        }
        return RecentPulls.read(registry, since, rows(answer, registry, what));
    }

    private static JsonNode read(HttpResponse response, String what) {
        String length = response.getHeaderValue(HttpHeaderName.CONTENT_LENGTH);
        if (length != null && Long.parseLong(length) > MAX_BODY_BYTES) {
            throw new PullLogException(
                    what + ": answer of " + length + " bytes is over the cap of " + MAX_BODY_BYTES);
        }
        byte[] bytes = response.getBodyAsBinaryData().toBytes();
        if (bytes.length > MAX_BODY_BYTES) {
            throw new PullLogException(
                    what + ": answer of " + bytes.length + " bytes is over the cap");
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new PullLogException(
                    what + ": answer " + response.getStatusCode() + " is not JSON", e);
        }
        JsonNode error = json == null ? null : json.get("error");
        if (response.getStatusCode() != 200) {
            throw new PullLogException(
                    what + " could not be read: " + response.getStatusCode() + describe(error));
        }
        if (error != null && !error.isNull()) {
            // A non-fatal error: the service answered 200 with only part of the rows.
            throw new PullLogException(what + " answered only in part" + describe(error));
        }
        return json;
    }

    private static String describe(JsonNode error) {
        if (error == null || error.isNull()) {
            return "";
        }
        return " ("
                + error.path("code").asText("?")
                + ": "
                + error.path("message").asText("")
                + ")";
    }

    private static List<RecentPulls.Pull> rows(JsonNode answer, String registry, String what) {
        JsonNode tables = answer.path("tables");
        if (!tables.isArray() || tables.isEmpty()) {
            throw new PullLogException(what + ": answer has no result table");
        }
        JsonNode table = tables.get(0);
        List<String> names = new ArrayList<>();
        table.path("columns").forEach(c -> names.add(c.path("name").asText()));
        int[] at = new int[COLUMNS.size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = names.indexOf(COLUMNS.get(i));
            if (at[i] < 0) {
                throw new PullLogException(
                        what + ": result has no column " + COLUMNS.get(i) + " (got " + names + ")");
            }
        }
        JsonNode rows = table.path("rows");
        if (!rows.isArray()) {
            throw new PullLogException(what + ": result has no rows array");
        }
        List<RecentPulls.Pull> pulls = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            JsonNode row = rows.get(r);
            String loginServer = text(row, at[0]);
            String repository = text(row, at[1]);
            String digest = text(row, at[2]);
            String tag = text(row, at[3]);
            if (loginServer == null
                    || !RegistryNames.normalize(loginServer).equals(registry)
                    || repository == null
                    || (digest == null && tag == null)) {
                continue;
            }
            Instant last;
            try {
                last = Instant.parse(row.path(at[4]).asText());
            } catch (DateTimeParseException e) {
                throw new PullLogException(
                        what + ": row " + r + " has no readable LastPull: " + row.path(at[4]), e);
            }
            pulls.add(new RecentPulls.Pull(repository, digest, tag, last));
        }
        return pulls;
    }

    private static String text(JsonNode row, int index) {
        JsonNode v = row.get(index);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    /**
     * This app's own identity, as the logs may name it: the object id and the application id in its
     * own token. The app reads manifests (index children, subjects), and ACR logs those reads as
     * pulls; without this, every run would keep what the previous run looked at. A token that is
     * not a JWT names no identity.
     */
    private Set<String> ownIdentities() {
        String token =
                credential.getTokenSync(new TokenRequestContext().addScopes(SCOPE)).getToken();
        Set<String> ids = new TreeSet<>();
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return ids;
        }
        try {
            JsonNode claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            for (String claim : List.of("oid", "appid", "azp")) {
                if (claims.path(claim).isTextual()) {
                    ids.add(claims.get(claim).asText());
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return ids;
        }
        return ids;
    }
}
