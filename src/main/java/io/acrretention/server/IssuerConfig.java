package io.acrretention.server;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One trusted token issuer and what its tokens must say to be let in. The same issuer may be listed
 * more than once: a token is accepted when any one entry for its issuer accepts it (e.g. an {@code
 * oid} allow-list in one entry, a {@code groups} membership in another).
 *
 * @param issuer the exact {@code iss} value; its keys are found at {@code
 *     {issuer}/.well-known/openid-configuration}
 * @param audiences the token's {@code aud} must hold at least one of these
 * @param claims every named claim must be present and hold one of the listed values (a claim that
 *     is an array, such as {@code groups}, must contain one of them)
 * @param caFile a PEM CA to verify the issuer's HTTPS with instead of the JDK's public roots, or
 *     null
 */
public record IssuerConfig(
        URI issuer, List<String> audiences, Map<String, List<String>> claims, Path caFile) {
    public IssuerConfig {
        audiences = List.copyOf(audiences);
        claims = Map.copyOf(claims);
    }
}
