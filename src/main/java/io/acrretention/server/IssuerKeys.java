package io.acrretention.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.acrretention.json.Json;
import io.acrretention.log.Log;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * One issuer's signing keys, found through OpenID discovery ({@code
 * {issuer}/.well-known/openid-configuration} names {@code jwks_uri}) and cached. An unknown key id
 * fetches them again, but never more often than the minimum refresh interval: a flood of tokens
 * with made-up key ids costs the issuer one request per interval. Keys older than the maximum age
 * are fetched again before use, so a key the issuer withdrew stops working.
 *
 * <p>Fetches happen outside this object's lock, with a time limit on the whole answer: callers that
 * need the keys at the same moment wait for the one fetch in flight, for at most that limit, and a
 * slow issuer never holds a lock that other callers would wait on without end.
 */
final class IssuerKeys {
    private static final Log LOG = Log.of(IssuerKeys.class);

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
    private CompletableFuture<Void> inFlight;

    IssuerKeys(
            URI issuer,
            HttpClient client,
            Duration timeout,
            Duration minRefresh,
            Duration maxAge,
            LongSupplier nanoTime) {
        this.issuer = issuer;
        this.client = client;
        this.timeout = timeout;
        this.minRefreshNanos = minRefresh.toNanos();
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * The key with {@code kid}, or null when the issuer does not publish it (even after a refresh,
     * if one is allowed now).
     *
     * @throws KeysUnavailableException when there are no usable keys because fetching them failed
     */
    JWK key(String kid) {
        CompletableFuture<Void> wait = null;
        boolean mine = false;
        long now;
        synchronized (this) {
            now = nanoTime.getAsLong();
            boolean stale = keys == null || now - fetchedAt > maxAgeNanos;
            if (stale && !refreshAllowed(now) && inFlight == null) {
                keys = null;
                throw unavailable();
            }
            if (!stale) {
                JWK key = keys.getKeyByKeyId(kid);
                // A known key, or an unknown one while a refresh is not allowed yet: no fetch.
                if (key != null || !refreshAllowed(now) && inFlight == null) {
                    return key;
                }
            }
            // Stale keys, or an unknown key id the issuer may have rotated in since the keys were
            // read.
            if (inFlight != null) {
                wait = inFlight;
            } else {
                inFlight = new CompletableFuture<>();
                attempted = true;
                lastAttempt = now;
                mine = true;
            }
        }
        if (mine) {
            JWKSet fetched = null;
            String failure = "fetching the keys of " + issuer + " failed";
            try {
                fetched = fetchKeys();
            } catch (IOException | ParseException | RuntimeException e) {
                failure = e.getMessage();
                LOG.warn(failure);
            } finally {
                // Even an Error must release the callers waiting for this fetch, and let the next
                // one try.
                publish(fetched, failure, now);
            }
        } else {
            awaitFetch(wait);
        }
        synchronized (this) {
            if (keys == null) {
                throw unavailable();
            }
            return keys.getKeyByKeyId(kid);
        }
    }

    private void publish(JWKSet fetched, String failure, long startedAt) {
        CompletableFuture<Void> done;
        synchronized (this) {
            if (fetched != null) {
                keys = fetched;
                fetchedAt = startedAt;
                lastFailure = null;
            } else {
                // Keeps the keys it had when the fetch fails, until they are too old.
                lastFailure = failure;
                if (keys != null && startedAt - fetchedAt > maxAgeNanos) {
                    keys = null;
                }
            }
            done = inFlight;
            inFlight = null;
        }
        done.complete(null);
    }

    private void awaitFetch(CompletableFuture<Void> fetch) {
        try {
            // The fetch itself gives up after two timeouts (discovery, then keys); a little more is
            // enough.
            fetch.get(timeout.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeysUnavailableException(
                    "interrupted while waiting for the signing keys of " + issuer);
        } catch (ExecutionException | TimeoutException e) {
            throw new KeysUnavailableException(
                    "the signing keys of " + issuer + " are still being fetched");
        }
    }

    private KeysUnavailableException unavailable() {
        return new KeysUnavailableException(
                "the signing keys of " + issuer + " are not available: " + lastFailure);
    }

    private boolean refreshAllowed(long now) {
        return !attempted || now - lastAttempt >= minRefreshNanos;
    }

    /**
     * Discovery, then the keys it names; each step within the timeout, answers no larger than 1
     * MiB.
     */
    private JWKSet fetchKeys() throws IOException, ParseException {
        String step = "discovery";
        URI discovery =
                URI.create(
                        issuer.toString().replaceAll("/+$", "")
                                + "/.well-known/openid-configuration");
        try {
            JsonNode doc = Json.MAPPER.readTree(fetch(discovery));
            String declared = doc == null ? null : doc.path("issuer").asText(null);
            // OpenID Connect Discovery 1.0, section 4.3: the document must be the issuer's own.
            if (!issuer.toString().equals(declared)) {
                throw new IOException(
                        discovery + " names issuer '" + declared + "', not " + issuer);
            }
            String jwksUri = doc.path("jwks_uri").asText("");
            URI jwks = URI.create(jwksUri);
            if (!"https".equals(jwks.getScheme())) {
                throw new IOException(
                        discovery + " names jwks_uri '" + jwksUri + "', which is not https");
            }
            step = "keys";
            return JWKSet.parse(fetch(jwks));
        } catch (IOException e) {
            throw new IOException(
                    "fetching the " + step + " of " + issuer + " failed: " + e.getMessage(), e);
        } catch (ParseException e) {
            throw new ParseException(
                    "fetching the " + step + " of " + issuer + " failed: " + e.getMessage(),
                    e.getErrorOffset());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "fetching the " + step + " of " + issuer + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The whole answer within the timeout: the client's own request timeout ends when the headers
     * arrive, so an issuer that trickles its body would otherwise be waited for without end.
     */
    private String fetch(URI uri) throws IOException {
        HttpRequest request =
                HttpRequest.newBuilder(uri)
                        .timeout(timeout)
                        .header("Accept", "application/json")
                        .GET()
                        .build();
        CompletableFuture<HttpResponse<byte[]>> call =
                client.sendAsync(request, BoundedBody.handler(MAX_DOCUMENT_BYTES));
        HttpResponse<byte[]> response;
        try {
            response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + uri);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new HttpTimeoutException(
                    "GET " + uri + " did not answer in full within " + timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io
                    ? io
                    : new IOException(String.valueOf(cause), cause);
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + response.statusCode());
        }
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
