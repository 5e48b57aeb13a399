package io.acrretention.inventory.http;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import javax.net.ssl.SSLContext;

/**
 * HTTPS calls with an Entra bearer token for one scope, verified against one trust context, each
 * with a connect and a request time-out, and every response body capped in size. Status other than
 * 200 becomes {@link HttpStatusException} carrying what the server said.
 */
public final class BearerHttp {
    private static final int ERROR_BODY_BYTES = 4096;
    private static final Duration TOKEN_MARGIN = Duration.ofMinutes(2);

    private final HttpClient client;
    private final TokenCredential credential;
    private final String scope;
    private final Duration requestTimeout;
    private final long maxResponseBytes;
    private AccessToken token;

    public BearerHttp(
            SSLContext tls,
            TokenCredential credential,
            String scope,
            Duration requestTimeout,
            long maxResponseBytes) {
        this.client =
                HttpClient.newBuilder()
                        .sslContext(tls)
                        .connectTimeout(requestTimeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
        this.credential = credential;
        this.scope = scope;
        this.requestTimeout = requestTimeout;
        this.maxResponseBytes = maxResponseBytes;
    }

    /**
     * GETs {@code uri}; the caller closes the returned body, which fails once it passes the size
     * cap.
     */
    public InputStream get(URI uri) throws IOException {
        return send(HttpRequest.newBuilder(uri).GET(), uri);
    }

    /** POSTs an empty body to {@code uri}, as Azure Resource Manager's list actions expect. */
    public InputStream post(URI uri) throws IOException {
        return send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()), uri);
    }

    private InputStream send(HttpRequest.Builder request, URI uri) throws IOException {
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IOException(
                    "refusing to send a bearer token over " + uri.getScheme() + " (https only)");
        }
        HttpRequest built =
                request.timeout(requestTimeout)
                        .header("Authorization", "Bearer " + token())
                        .header("Accept", "application/json")
                        .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(built, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + uri);
        }
        InputStream body = response.body();
        if (response.statusCode() != 200) {
            String detail;
            try (body) {
                detail = errorDetail(body.readNBytes(ERROR_BODY_BYTES));
            }
            throw new HttpStatusException(response.statusCode(), detail);
        }
        long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > maxResponseBytes) {
            body.close();
            throw new ResponseTooLargeException(
                    "response body of "
                            + declared
                            + " bytes (Content-Length) is larger than the limit of "
                            + maxResponseBytes
                            + " bytes");
        }
        return new BoundedInputStream(body, maxResponseBytes);
    }

    private synchronized String token() throws IOException {
        if (token == null
                || token.getExpiresAt().isBefore(OffsetDateTime.now().plus(TOKEN_MARGIN))) {
            try {
                token = credential.getTokenSync(new TokenRequestContext().addScopes(scope));
            } catch (RuntimeException e) {
                throw new IOException(
                        "getting a token for " + scope + " failed: " + e.getMessage(), e);
            }
            if (token == null) {
                throw new IOException(
                        "getting a token for " + scope + " failed: the credential returned none");
            }
        }
        return token.getToken();
    }

    /**
     * The {@code message} of a Kubernetes {@code Status} or an ARM error body when there is one,
     * else the text.
     */
    private static String errorDetail(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            JsonNode message =
                    node.has("error") ? node.path("error").path("message") : node.path("message");
            if (message.isTextual()) {
                return message.asText();
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON (or cut at the byte limit): the raw text says more than nothing.
        }
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
