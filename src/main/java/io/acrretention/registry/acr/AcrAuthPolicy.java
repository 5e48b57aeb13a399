package io.acrretention.registry.acr;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.util.concurrent.Callable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Authenticates requests to ACR in place of the SDK's {@code ContainerRegistryCredentialsPolicy},
 * which paid per repository a 401 challenge, an {@code /oauth2/exchange} and an {@code
 * /oauth2/token} for each scope (3 of a dry run's 6 round trips per repository): here the request's
 * scope is known from its method and path ({@link AcrScope#of}), and the access token for it, with
 * every action the run needs on that repository, comes from the registry's {@link AcrTokens} before
 * the request is sent.
 *
 * <p>A challenge it did not expect (a token revoked or granted fewer actions, a request {@link
 * AcrScope#of} cannot place) is still answered as ACR asks: a new token for the challenged scope,
 * the request sent once more. A second 401 goes to the caller: no loop. A 401 without a Bearer
 * challenge goes to the caller at once.
 */
final class AcrAuthPolicy implements HttpPipelinePolicy {
    private final AcrTokens tokens;

    AcrAuthPolicy(AcrTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public HttpResponse processSync(
            HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        Sent sent = prepare(context);
        HttpPipelineNextSyncPolicy again = next.clone();
        HttpResponse response = next.processSync();
        AcrScope.Challenge challenge = challenged(response);
        if (challenge == null) {
            recordUse(sent.needed(), response);
            return response;
        }
        response.close();
        authorize(context, tokens.answer(challenge.scope(), challenge.service(), sent.token()));
        HttpResponse retried = again.processSync();
        recordUse(challenge.scope(), retried);
        return retried;
    }

    /**
     * The same on the asynchronous path (the repository listing); a token request blocks, so it
     * runs on the bounded elastic scheduler, never on an HTTP client's thread.
     */
    @Override
    public Mono<HttpResponse> process(
            HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        HttpPipelineNextPolicy again = next.clone();
        return blocking(() -> prepare(context))
                .flatMap(sent -> next.process().flatMap(r -> answered(context, sent, r, again)));
    }

    private Mono<HttpResponse> answered(
            HttpPipelineCallContext context,
            Sent sent,
            HttpResponse response,
            HttpPipelineNextPolicy again) {
        AcrScope.Challenge challenge = challenged(response);
        if (challenge == null) {
            recordUse(sent.needed(), response);
            return Mono.just(response);
        }
        response.close();
        return blocking(() -> tokens.answer(challenge.scope(), challenge.service(), sent.token()))
                .flatMap(
                        token -> {
                            authorize(context, token);
                            return again.process();
                        })
                .doOnNext(r -> recordUse(challenge.scope(), r));
    }

    /** The request's scope, and the token sent with it (null: none yet, wait for the challenge). */
    private Sent prepare(HttpPipelineCallContext context) {
        requireHttps(context);
        AcrScope needed = AcrScope.of(context.getHttpRequest());
        String token = needed == null ? null : tokens.preemptive(needed);
        authorize(context, token);
        return new Sent(needed, token);
    }

    private record Sent(AcrScope needed, String token) {}

    private static <T> Mono<T> blocking(Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
    }

    private static AcrScope.Challenge challenged(HttpResponse response) {
        return response.getStatusCode() == 401
                ? AcrScope.challenge(response.getHeaderValue(HttpHeaderName.WWW_AUTHENTICATE))
                : null;
    }

    private void recordUse(AcrScope scope, HttpResponse response) {
        if (scope != null && response.getStatusCode() != 401 && response.getStatusCode() != 403) {
            tokens.used(scope);
        }
    }

    private static void authorize(HttpPipelineCallContext context, String token) {
        if (token == null) {
            context.getHttpRequest().getHeaders().remove(HttpHeaderName.AUTHORIZATION);
        } else {
            context.getHttpRequest().setHeader(HttpHeaderName.AUTHORIZATION, "Bearer " + token);
        }
    }

    /** A token never travels in clear text (as azure-core's bearer policy insists). */
    private static void requireHttps(HttpPipelineCallContext context) {
        if (!"https".equals(context.getHttpRequest().getUrl().getProtocol())) {
            throw new IllegalStateException(
                    "token credentials require a URL using the HTTPS protocol scheme, not "
                            + context.getHttpRequest().getUrl());
        }
    }
}
