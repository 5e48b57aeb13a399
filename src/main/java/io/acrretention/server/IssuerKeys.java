package io.acrretention.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.acrretention.inventory.http.BoundedInputStream;
import io.acrretention.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One issuer's signing keys, found through OpenID discovery ({@code {issuer}/.well-known/openid-configuration}
 * names {@code jwks_uri}) and cached. An unknown key id fetches them again, but never more often than the
 * minimum refresh interval: a flood of tokens with made-up key ids costs the issuer one request per interval.
 * Keys older than the maximum age are fetched again before use, so a key the issuer withdrew stops working.
 *
 * <p>Fetches happen under this object's lock: callers that need the keys at the same moment wait for one fetch.
 */
final class IssuerKeys {
    private static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

    private final URI issuer;
    private final HttpClient client;
    private final Duration timeout;
    private final long minRefreshNanos;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private JWKSet keys;
    private long fetchedAt;
    private long lastAttempt;
    private boolean attempted;
    private String lastFailure;

    IssuerKeys(URI issuer, HttpClient client, Duration timeout, Duration minRefresh, Duration maxAge,
               LongSupplier nanoTime) {
        this.issuer = issuer;
        this.client = client;
        this.timeout = timeout;
        this.minRefreshNanos = minRefresh.toNanos();
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * The key with {@code kid}, or null when the issuer does not publish it (even after a refresh, if one is
     * allowed now).
     *
     * @throws KeysUnavailableException when there are no usable keys because fetching them failed
     */
    synchronized JWK key(String kid) {
        long now = nanoTime.getAsLong();
        if (keys == null || now - fetchedAt > maxAgeNanos) {
            if (!refreshAllowed(now)) {
                keys = null;
                throw new KeysUnavailableException("the signing keys of " + issuer + " are not available: "
                        + lastFailure);
            }
            refresh(now);
            if (keys == null) {
                throw new KeysUnavailableException("the signing keys of " + issuer + " are not available: "
                        + lastFailure);
            }
        }
        JWK key = keys.getKeyByKeyId(kid);
        if (key == null && refreshAllowed(now)) {
            // The issuer may have rotated its keys since they were read.
            refresh(now);
            key = keys == null ? null : keys.getKeyByKeyId(kid);
        }
        return key;
    }

    private boolean refreshAllowed(long now) {
        return !attempted || now - lastAttempt >= minRefreshNanos;
    }

    /** Keeps the keys it had when the fetch fails, until they are too old. */
    private void refresh(long now) {
        attempted = true;
        lastAttempt = now;
        String step = "discovery";
        URI discovery = URI.create(issuer.toString().replaceAll("/+$", "") + "/.well-known/openid-configuration");
        try {
            JsonNode doc = Json.MAPPER.readTree(fetch(discovery));
            String declared = doc == null ? null : doc.path("issuer").asText(null);
            // OpenID Connect Discovery 1.0, section 4.3: the document must be the issuer's own.
            if (!issuer.toString().equals(declared)) {
                throw new IOException(discovery + " names issuer '" + declared + "', not " + issuer);
            }
            String jwksUri = doc.path("jwks_uri").asText("");
            URI jwks = URI.create(jwksUri);
            if (!"https".equals(jwks.getScheme())) {
                throw new IOException(discovery + " names jwks_uri '" + jwksUri + "', which is not https");
            }
            step = "keys";
            JWKSet fetched = JWKSet.parse(fetch(jwks));
            keys = fetched;
            fetchedAt = now;
            lastFailure = null;
        } catch (IOException | ParseException | IllegalArgumentException e) {
            lastFailure = "fetching the " + step + " of " + issuer + " failed: " + e.getMessage();
            Log.warn(lastFailure);
            if (keys != null && now - fetchedAt > maxAgeNanos) {
                keys = null;
            }
        }
    }

    private String fetch(URI uri) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + uri);
        }
        try (InputStream body = new BoundedInputStream(response.body(), MAX_DOCUMENT_BYTES)) {
            byte[] bytes = body.readAllBytes();
            if (response.statusCode() != 200) {
                throw new IOException("GET " + uri + " answered " + response.statusCode());
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
