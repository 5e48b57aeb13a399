package io.acrretention.testing.acr;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emulator's token service as ACR runs it, and a little harder: refresh and access tokens
 * expire (lifetimes settable down to seconds), an access token grants only the actions it was asked
 * for and the identity holds (ACR grants the intersection, it does not refuse), tokens can be
 * revoked, and a grant can be narrowed once (a role assignment still propagating). Counts every
 * exchange and every access token per resource.
 */
public final class Tokens {
    /** What an access token grants: actions per resource ({@code repository:app/api}). */
    private record Grant(Map<String, Set<String>> actions, Instant expires) {}

    private final Map<String, Instant> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, Grant> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> accessRequests = new ConcurrentHashMap<>();
    private final AtomicLong exchanges = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong serial = new AtomicLong();
    private final Set<String> withholdOnce = ConcurrentHashMap.newKeySet();
    private volatile Duration refreshLifetime = Duration.ofHours(3);
    private volatile Duration accessLifetime = Duration.ofHours(1);
    private volatile Set<String> permitted;

    /** Lifetimes of the tokens issued from now on (ACR's: about 3 hours and 75 minutes). */
    public Tokens lifetimes(Duration refresh, Duration access) {
        this.refreshLifetime = refresh;
        this.accessLifetime = access;
        return this;
    }

    /**
     * The repository actions the identity holds (e.g. {@code metadata_read, pull} for a reader);
     * null for all.
     */
    public Tokens permit(Set<String> actions) {
        this.permitted = actions == null ? null : Set.copyOf(actions);
        return this;
    }

    /** The next access token that asks for {@code action} is issued without it. */
    public Tokens withholdOnce(String action) {
        withholdOnce.add(action);
        return this;
    }

    /** Every token issued so far stops working, refresh and access alike. */
    public Tokens revokeAll() {
        refreshTokens.clear();
        accessTokens.clear();
        return this;
    }

    /** {@code POST /oauth2/exchange} answered with a refresh token. */
    public long exchanges() {
        return exchanges.get();
    }

    /** {@code POST /oauth2/token} requests for {@code repository:<name>}, granted or not. */
    public long accessRequests(String repository) {
        AtomicLong n = accessRequests.get("repository:" + repository);
        return n == null ? 0 : n.get();
    }

    /** Token requests refused with 401 (a refresh token expired, revoked or unknown). */
    public long refused() {
        return refused.get();
    }

    String exchange() {
        exchanges.incrementAndGet();
        Instant expires = Instant.now().plus(refreshLifetime);
        String token = jwt("refresh", "", expires);
        refreshTokens.put(token, expires);
        return token;
    }

    /**
     * An access token for the space-separated {@code type:name:action[,action]} scopes, or null
     * when the refresh token is not valid (any more).
     */
    String access(String refreshToken, String scope) {
        Map<String, Set<String>> grant = new HashMap<>();
        for (String one : scope.trim().split(" +")) {
            int last = one.lastIndexOf(':');
            if (last <= 0) {
                continue;
            }
            String resource = one.substring(0, last);
            accessRequests.computeIfAbsent(resource, r -> new AtomicLong()).incrementAndGet();
            Set<String> actions = new TreeSet<>(Set.of(one.substring(last + 1).split(",")));
            if (resource.startsWith("repository:") && permitted != null) {
                actions.retainAll(permitted);
            }
            actions.removeIf(withholdOnce::remove);
            grant.computeIfAbsent(resource, r -> new HashSet<>()).addAll(actions);
        }
        Instant valid = refreshToken == null ? null : refreshTokens.get(refreshToken);
        if (valid == null || !Instant.now().isBefore(valid)) {
            refused.incrementAndGet();
            return null;
        }
        Instant expires = Instant.now().plus(accessLifetime);
        String token = jwt("access", scope, expires);
        accessTokens.put(token, new Grant(grant, expires));
        return token;
    }

    /** Whether {@code token} is valid now and grants every action of {@code scope}. */
    boolean allows(String token, String scope) {
        Grant g = token == null ? null : accessTokens.get(token);
        if (g == null || !Instant.now().isBefore(g.expires())) {
            return false;
        }
        int last = scope.lastIndexOf(':');
        Set<String> granted = g.actions().getOrDefault(scope.substring(0, last), Set.of());
        return granted.containsAll(Set.of(scope.substring(last + 1).split(",")));
    }

    /**
     * JWT-shaped as the SDK needs it: the payload in standard (not URL-safe) base64 without
     * padding, {@code exp} first; the other segments are not base64 at all, as in ACR's sanitized
     * recordings.
     */
    private String jwt(String kind, String scope, Instant expires) {
        String payload =
                "{\"exp\":"
                        + expires.getEpochSecond()
                        + ",\"kind\":\""
                        + kind
                        + "\",\"scope\":\""
                        + scope
                        + "\",\"n\":"
                        + serial.incrementAndGet()
                        + "}";
        return "x."
                + Base64.getEncoder()
                        .withoutPadding()
                        .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + ".x";
    }
}
