package io.acrretention.registry.acr;

import com.azure.containers.containerregistry.implementation.AuthenticationsImpl;
import com.azure.containers.containerregistry.implementation.models.PostContentSchemaGrantType;
import com.azure.containers.containerregistry.implementation.models.TokenGrantType;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.util.Context;
import io.acrretention.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokens of one registry, shared by all its pipelines and repositories (Azure/acr {@code
 * docs/AAD-OAuth.md}: {@code POST /oauth2/exchange} turns the Entra token into the registry's
 * refresh token, {@code POST /oauth2/token} turns that into an access token for a scope).
 *
 * <ul>
 *   <li>The refresh token is exchanged once and reused by every repository until shortly before it
 *       expires (its JWT {@code exp}); the SDK's own policy exchanged again on every pipeline.
 *   <li>Access tokens are kept per resource (one repository, or the catalog) and carry every action
 *       the run has used on the registry so far, so a repository needs one token request: a dry run
 *       asks for {@code metadata_read,pull}; once a delete (or a restore's push) went through, the
 *       next repositories' tokens carry it too. A dry run never asks for {@code delete}.
 *   <li>Both are renewed before they expire: at 3/4 of their lifetime, at most 5 minutes early.
 *   <li>A refresh token the registry refuses (401 at {@code /oauth2/token}) is exchanged again
 *       once; a second refusal is the caller's error. Nothing here loops.
 * </ul>
 *
 * Thread-safe: one exchange at a time for the registry, one token request at a time per resource
 * (callers of the same repository wait for the token in flight instead of asking again).
 */
final class AcrTokens {
    /** Resources whose access tokens are kept; beyond it the least recently used is dropped. */
    private static final int KEPT = 256;

    private static final Duration MAX_EARLY = Duration.ofMinutes(5);

    private final AuthenticationsImpl auth;
    private final TokenCredential credential;
    private final TokenRequestContext aadScope;
    private final Clock clock;
    private final Set<String> used = ConcurrentHashMap.newKeySet();
    private final Object exchangeLock = new Object();
    private final Map<String, Slot> slots =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Slot> eldest) {
                    return size() > KEPT;
                }
            };

    /** Set by the first challenge: the registry names itself there. */
    private volatile String service;

    private Token refresh;

    AcrTokens(AuthenticationsImpl auth, TokenCredential credential, String audience, Clock clock) {
        this.auth = auth;
        this.credential = credential;
        this.aadScope = new TokenRequestContext().addScopes(audience + "/.default");
        this.clock = clock;
        used.add("metadata_read");
        used.add("pull");
    }

    /**
     * A token to send pre-emptively for {@code needed}, or null until a challenge named the
     * service.
     */
    String preemptive(AcrScope needed) {
        if (service == null) {
            return null;
        }
        return slot(needed.resource()).get(needed, null);
    }

    /**
     * After a 401 that demanded {@code demanded}: a new token for it, replacing {@code rejected}
     * (null when none was sent).
     */
    String answer(AcrScope demanded, String challengeService, String rejected) {
        if (!challengeService.equals(service)) {
            synchronized (exchangeLock) {
                if (!challengeService.equals(service)) {
                    service = challengeService;
                    refresh = null;
                    synchronized (slots) {
                        slots.clear();
                    }
                }
            }
        }
        return slot(demanded.resource()).get(demanded, rejected);
    }

    /** The actions of a request that went through: later repositories' tokens carry them. */
    void used(AcrScope scope) {
        if (scope.resource().startsWith("repository:")) {
            used.addAll(scope.actions());
        }
    }

    private Slot slot(String resource) {
        synchronized (slots) {
            return slots.computeIfAbsent(resource, r -> new Slot());
        }
    }

    /** The access token of one resource. */
    private final class Slot {
        private AcrScope scope;
        private Token token;

        synchronized String get(AcrScope needed, String rejected) {
            boolean fresh = token != null && !token.due(clock.instant());
            if (fresh && scope.covers(needed) && !token.value.equals(rejected)) {
                return token.value;
            }
            AcrScope ask = needed;
            if (needed.resource().startsWith("repository:")) {
                ask = ask.with(used);
            }
            if (fresh && scope.resource().equals(needed.resource())) {
                ask = ask.with(scope.actions());
            }
            token = access(ask);
            scope = ask;
            return token.value;
        }
    }

    private Token access(AcrScope scope) {
        String refreshToken = refreshToken(null);
        try {
            return request(scope, refreshToken);
        } catch (HttpResponseException e) {
            if (e.getResponse() == null || e.getResponse().getStatusCode() != 401) {
                throw e;
            }
            // Refused (revoked, or expired early): exchange again, once.
            return request(scope, refreshToken(refreshToken));
        }
    }

    private Token request(AcrScope scope, String refreshToken) {
        String value =
                auth.exchangeAcrRefreshTokenForAcrAccessTokenWithResponse(
                                service,
                                scope.wire(),
                                refreshToken,
                                TokenGrantType.REFRESH_TOKEN,
                                Context.NONE)
                        .getValue()
                        .getAccessToken();
        return Token.of(value, clock.instant());
    }

    /**
     * The registry's refresh token, exchanged when there is none, it is due, or it is {@code
     * refused} (and still the current one: another thread may have replaced it already).
     */
    private String refreshToken(String refused) {
        synchronized (exchangeLock) {
            Instant now = clock.instant();
            if (refresh != null && !refresh.due(now) && !refresh.value.equals(refused)) {
                return refresh.value;
            }
            String aad = credential.getTokenSync(aadScope).getToken();
            String value =
                    auth.exchangeAadAccessTokenForAcrRefreshTokenWithResponse(
                                    PostContentSchemaGrantType.ACCESS_TOKEN,
                                    service,
                                    null,
                                    null,
                                    aad,
                                    Context.NONE)
                            .getValue()
                            .getRefreshToken();
            refresh = Token.of(value, clock.instant());
            return refresh.value;
        }
    }

    /**
     * A token and when to renew it. ACR's tokens are JWTs with {@code exp}; one without a readable
     * {@code exp} is used until the registry refuses it.
     */
    private record Token(String value, Instant renewAt) {
        static Token of(String value, Instant now) {
            Instant exp = expiry(value);
            if (exp == null) {
                return new Token(value, Instant.MAX);
            }
            Duration lifetime = Duration.between(now, exp);
            Duration early = lifetime.dividedBy(4);
            return new Token(value, exp.minus(early.compareTo(MAX_EARLY) > 0 ? MAX_EARLY : early));
        }

        boolean due(Instant now) {
            return !now.isBefore(renewAt);
        }

        /** The JWT's {@code exp}; real tokens are base64url, some recordings standard base64. */
        private static Instant expiry(String jwt) {
            String[] parts = jwt.split("\\.");
            if (parts.length < 2) {
                return null;
            }
            try {
                byte[] payload =
                        Base64.getDecoder().decode(parts[1].replace('-', '+').replace('_', '/'));
                var exp =
                        Json.MAPPER
                                .readTree(new String(payload, StandardCharsets.UTF_8))
                                .get("exp");
                return exp != null && exp.canConvertToLong()
                        ? Instant.ofEpochSecond(exp.asLong())
                        : null;
            } catch (IllegalArgumentException | java.io.IOException e) {
                return null;
            }
        }
    }
}
