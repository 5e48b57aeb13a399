package io.acrretention.testing;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import java.time.OffsetDateTime;
import reactor.core.publisher.Mono;

/** Credentials for tests: fixed tokens, never a call to Entra ID. */
public final class TestTokens {
    private TestTokens() {}

    /** The token this credential hands out for {@code scope}: {@code token-for:<scope>}. */
    public static String tokenFor(String scope) {
        return "token-for:" + scope;
    }

    /** Answers every request with {@link #tokenFor} of its first scope, valid for an hour. */
    public static TokenCredential perScope() {
        return ctx ->
                Mono.just(
                        new AccessToken(
                                tokenFor(ctx.getScopes().get(0)),
                                OffsetDateTime.now().plusHours(1)));
    }
}
