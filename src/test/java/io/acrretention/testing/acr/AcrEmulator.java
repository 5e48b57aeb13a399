package io.acrretention.testing.acr;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.sun.net.httpserver.HttpExchange;
import io.acrretention.json.Json;
import io.acrretention.testing.LoopbackHttps;
import io.acrretention.testing.TestCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * A loopback HTTPS server that speaks the part of the ACR data-plane API that {@code
 * azure-containers-containerregistry} 1.2.x uses, with ACR's shapes
 * (shared/reference/acr-data-plane.md): the 401 Bearer challenge, the {@code /oauth2/exchange} and
 * {@code /oauth2/token} token dance with JWT-shaped tokens that expire and grant only the actions
 * asked for ({@link Tokens}), the {@code _catalog}, {@code _tags} and {@code _manifests} listings
 * paged with {@code Link} headers, single reads, deletes (202; 404 when gone; 405 {@code
 * REGISTRY_DISALLOWED_OPERATION} when locked). State is in {@link #state()}, misbehaviour in {@link
 * #faults()}, request counts in {@link #counts()}.
 */
public final class AcrEmulator implements AutoCloseable {
    private final LoopbackHttps server;
    private final String loginServer;
    private final String aadToken;
    private final EmulatorState state = new EmulatorState();
    private final Faults faults = new Faults();
    private final RequestCounts counts = new RequestCounts();
    private final Tokens tokens = new Tokens();
    private final AcrRoutes routes;
    private volatile int pageSize = 100;
    private volatile boolean listsReferences;

    private AcrEmulator(TestCertificates certs, String loginServer, String aadToken) {
        this.loginServer = loginServer;
        this.aadToken = aadToken;
        this.routes = new AcrRoutes(this);
        this.server = LoopbackHttps.start(certs, "acr-emulator", 32, this::handle);
    }

    /**
     * @param loginServer the registry's name in challenges and bodies, e.g. {@code
     *     mactemp.azurecr.io}
     * @param aadToken the one Entra token value {@code /oauth2/exchange} accepts
     */
    public static AcrEmulator start(TestCertificates certs, String loginServer, String aadToken) {
        return new AcrEmulator(certs, loginServer, aadToken);
    }

    /** A credential that hands out a fixed Entra token (no network). */
    public static TokenCredential credential(String token) {
        return request -> Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)));
    }

    public URI endpoint() {
        return URI.create(server.base());
    }

    public String loginServer() {
        return loginServer;
    }

    public EmulatorState state() {
        return state;
    }

    public Faults faults() {
        return faults;
    }

    public RequestCounts counts() {
        return counts;
    }

    /** The token service: lifetimes, permissions, revocation, and what was asked of it. */
    public Tokens tokens() {
        return tokens;
    }

    /** Page size of listings when the client sends no {@code n} (ACR's is 100). */
    public AcrEmulator pageSize(int n) {
        this.pageSize = n;
        return this;
    }

    int pageSize() {
        return pageSize;
    }

    /**
     * Whether the manifest listing carries an index's children in {@code references}. Off by
     * default: field reports show ACR's listing without them for multi-arch indexes, so the code
     * must find children in the index's own content; on, it answers as the API reference documents.
     */
    public AcrEmulator listsReferences(boolean on) {
        this.listsReferences = on;
        return this;
    }

    boolean listsReferences() {
        return listsReferences;
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String rawPath = ex.getRequestURI().getRawPath();
            String rawQuery = ex.getRequestURI().getRawQuery();
            faults.beforeRequest(method, rawPath + (rawQuery == null ? "" : "?" + rawQuery), state);
            if (rawPath.startsWith("/oauth2/")) {
                counts.token.incrementAndGet();
                tokenEndpoint(ex, rawPath);
                return;
            }
            AcrRoutes.Route route = routes.route(method, rawPath);
            if (route == null) {
                send(
                        ex,
                        404,
                        error("NOT_FOUND", "no such endpoint: " + method + " " + rawPath),
                        null);
                return;
            }
            String presented = bearer(ex);
            if (!tokens.allows(presented, route.scope())) {
                counts.challenges.incrementAndGet();
                String challenge =
                        "Bearer realm=\""
                                + endpoint()
                                + "/oauth2/token\",service=\""
                                + loginServer
                                + "\",scope=\""
                                + route.scope()
                                + "\""
                                + (presented == null ? "" : ",error=\"invalid_token\"");
                ex.getResponseHeaders().set("WWW-Authenticate", challenge);
                send(
                        ex,
                        401,
                        error(
                                "UNAUTHORIZED",
                                "authentication required, visit https://aka.ms/acr/authorization"
                                        + " for more information."),
                        null);
                return;
            }
            Faults.Interference interference = faults.interfere(route);
            if (interference != null) {
                interference.change().accept(state);
            }
            Duration wait =
                    interference != null
                            ? interference.retryAfter()
                            : faults.throttle(route.write());
            if (wait != null) {
                counts.throttled.incrementAndGet();
                long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                ex.getResponseHeaders().set("Retry-After", Long.toString(seconds));
                send(ex, 429, error("TOOMANYREQUESTS", "too many requests"), null);
                return;
            }
            Faults.Answer injected =
                    faults.matchingFailure(
                            decode(rawPath) + (rawQuery == null ? "" : "?" + rawQuery));
            if (injected != null) {
                if (injected.status() == 429) {
                    counts.throttled.incrementAndGet();
                    ex.getResponseHeaders()
                            .set("Retry-After", Long.toString(injected.retryAfterSeconds()));
                    send(ex, 429, error("TOOMANYREQUESTS", "too many requests"), null);
                } else {
                    send(
                            ex,
                            injected.status(),
                            error("INTERNAL_ERROR", "injected failure " + injected.status()),
                            null);
                }
                return;
            }
            (route.write() ? counts.writes : counts.reads).incrementAndGet();
            routes.serve(ex, route, query(rawQuery));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            send(ex, 500, error("INTERNAL", String.valueOf(e)), null);
        }
    }

    private void tokenEndpoint(HttpExchange ex, String path) throws IOException {
        Map<String, String> form =
                query(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!"POST".equals(ex.getRequestMethod()) || !loginServer.equals(form.get("service"))) {
            send(ex, 400, error("BAD_REQUEST", "expected a POST for service " + loginServer), null);
        } else if (path.equals("/oauth2/exchange")) {
            if (!"access_token".equals(form.get("grant_type"))
                    || !aadToken.equals(form.get("access_token"))) {
                send(
                        ex,
                        401,
                        error("UNAUTHORIZED", "the access token is not valid for this registry"),
                        null);
                return;
            }
            send(ex, 200, Map.of("refresh_token", tokens.exchange()), null);
        } else if (path.equals("/oauth2/token")) {
            String access =
                    "refresh_token".equals(form.get("grant_type"))
                            ? tokens.access(
                                    form.get("refresh_token"), form.getOrDefault("scope", ""))
                            : null;
            if (access == null) {
                send(ex, 401, error("UNAUTHORIZED", "the refresh token is not valid"), null);
                return;
            }
            send(ex, 200, Map.of("access_token", access), null);
        } else {
            send(ex, 404, error("NOT_FOUND", "no such endpoint " + path), null);
        }
    }

    private static String bearer(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        return auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : null;
    }

    static Map<String, Object> error(String code, String message) {
        return Map.of("errors", List.of(Map.of("code", code, "message", message)));
    }

    static void send(HttpExchange ex, int status, Object body, String link) throws IOException {
        ex.getResponseHeaders().set("Docker-Distribution-Api-Version", "registry/2.0");
        if (link != null) {
            ex.getResponseHeaders().set("Link", "<" + link + ">; rel=\"next\"");
        }
        if (body == null || ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * A manifest's own bytes with its media type, as {@code GET /v2/{name}/manifests/{reference}}
     * answers.
     */
    static void sendBytes(
            HttpExchange ex, int status, byte[] bytes, String contentType, String digest)
            throws IOException {
        ex.getResponseHeaders().set("Docker-Distribution-Api-Version", "registry/2.0");
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Docker-Content-Digest", digest);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Parses a query string or form body; '+' is a space only in forms, and ACR's names never hold
     * one.
     */
    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(decode(k), decode(v));
        }
        return out;
    }

    static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
