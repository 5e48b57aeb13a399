package io.acrretention.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.acrretention.inventory.http.TlsTrust;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;

/**
 * Lets in a caller whose bearer JWT is signed by a trusted issuer's published key with an
 * asymmetric algorithm, is within its validity (60 s skew), is for one of the issuer's audiences
 * and carries the required claims. The signature is checked before anything the token claims is
 * believed, so an unsigned or forged token only ever learns that it is not accepted.
 */
final class TokenVerifier {
    static final Duration SKEW = Duration.ofSeconds(60);
    // Asymmetric only: with HMAC, a public key handed over as the secret would verify anything (and
    // "none"
    // verifies nothing).
    private static final Set<JWSAlgorithm> ALGORITHMS =
            Set.of(
                    JWSAlgorithm.RS256,
                    JWSAlgorithm.RS384,
                    JWSAlgorithm.RS512,
                    JWSAlgorithm.PS256,
                    JWSAlgorithm.PS384,
                    JWSAlgorithm.PS512,
                    JWSAlgorithm.ES256,
                    JWSAlgorithm.ES384,
                    JWSAlgorithm.ES512);

    private final Map<String, List<IssuerConfig>> rules = new LinkedHashMap<>();
    private final Map<String, IssuerKeys> keys = new LinkedHashMap<>();
    private final Clock clock;

    TokenVerifier(
            List<IssuerConfig> issuers,
            ServerConfig.Oidc oidc,
            Clock clock,
            LongSupplier nanoTime) {
        this.clock = clock;
        for (IssuerConfig issuer : issuers) {
            String iss = issuer.issuer().toString();
            rules.computeIfAbsent(iss, k -> new ArrayList<>()).add(issuer);
            keys.computeIfAbsent(
                    iss,
                    k ->
                            new IssuerKeys(
                                    issuer.issuer(),
                                    client(issuer, oidc.timeout()),
                                    oidc.timeout(),
                                    oidc.minKeyRefresh(),
                                    oidc.maxKeyAge(),
                                    nanoTime));
        }
    }

    /**
     * @param authorization the request's {@code Authorization} header, or null
     * @return who the caller is ({@code iss} and {@code sub}), for the log
     * @throws TokenRejectedException with the short reason to answer
     * @throws KeysUnavailableException when the issuer's keys cannot be fetched now
     */
    String verify(String authorization) throws TokenRejectedException {
        if (authorization == null || authorization.isBlank()) {
            throw new TokenRejectedException("no bearer token");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new TokenRejectedException("the Authorization header is not a bearer token");
        }
        JWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = JWTParser.parse(authorization.substring(7).strip());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new TokenRejectedException("malformed token");
        }
        if (jwt instanceof PlainJWT) {
            throw new TokenRejectedException("unsigned token (alg none)");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw new TokenRejectedException("encrypted tokens are not accepted");
        }
        JWSAlgorithm alg = signed.getHeader().getAlgorithm();
        if (!ALGORITHMS.contains(alg)) {
            throw new TokenRejectedException("signature algorithm " + alg + " is not accepted");
        }
        List<IssuerConfig> issuerRules =
                claims.getIssuer() == null ? null : rules.get(claims.getIssuer());
        if (issuerRules == null) {
            throw new TokenRejectedException("untrusted issuer");
        }
        String kid = signed.getHeader().getKeyID();
        if (kid == null) {
            throw new TokenRejectedException("the token names no signing key (kid)");
        }
        JWK key = keys.get(claims.getIssuer()).key(kid);
        if (key == null) {
            throw new TokenRejectedException("unknown signing key");
        }
        checkSignature(signed, alg, key);
        checkTimes(claims);
        String firstReason = null;
        for (IssuerConfig rule : issuerRules) {
            String reason = mismatch(rule, claims);
            if (reason == null) {
                return "iss=" + claims.getIssuer() + " sub=" + claims.getSubject();
            }
            // The issuer's first entry is its main rule: its reason is the one that helps.
            firstReason = firstReason == null ? reason : firstReason;
        }
        throw new TokenRejectedException(firstReason);
    }

    private static void checkSignature(SignedJWT jwt, JWSAlgorithm alg, JWK key)
            throws TokenRejectedException {
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())
                || key.getAlgorithm() != null && !key.getAlgorithm().equals(alg)) {
            throw new TokenRejectedException("the signing key is not for " + alg + " signatures");
        }
        try {
            JWSVerifier verifier;
            if (key instanceof RSAKey rsa && JWSAlgorithm.Family.RSA.contains(alg)) {
                verifier = new RSASSAVerifier(rsa);
            } else if (key instanceof ECKey ec && JWSAlgorithm.Family.EC.contains(alg)) {
                verifier = new ECDSAVerifier(ec);
            } else {
                throw new TokenRejectedException(
                        "the signing key is not for " + alg + " signatures");
            }
            if (!jwt.verify(verifier)) {
                throw new TokenRejectedException("bad signature");
            }
        } catch (JOSEException e) {
            throw new TokenRejectedException("bad signature");
        }
    }

    private void checkTimes(JWTClaimsSet claims) throws TokenRejectedException {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new TokenRejectedException("the token has no expiry (exp)");
        }
        if (now.minus(SKEW).isAfter(exp.toInstant())) {
            throw new TokenRejectedException("expired token");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(SKEW).isBefore(nbf.toInstant())) {
            throw new TokenRejectedException("token not valid yet (nbf)");
        }
    }

    /** Why {@code rule} does not accept these claims, or null when it does. */
    private static String mismatch(IssuerConfig rule, JWTClaimsSet claims) {
        List<String> aud = claims.getAudience();
        if (aud == null || aud.stream().noneMatch(rule.audiences()::contains)) {
            return "audience not accepted";
        }
        for (Map.Entry<String, List<String>> required : rule.claims().entrySet()) {
            Object value = claims.getClaim(required.getKey());
            if (value == null) {
                return "missing claim '" + required.getKey() + "'";
            }
            Collection<?> values = value instanceof Collection<?> c ? c : List.of(value);
            if (values.stream().map(String::valueOf).noneMatch(required.getValue()::contains)) {
                return "claim '" + required.getKey() + "' has a value that is not accepted";
            }
        }
        return null;
    }

    private static HttpClient client(IssuerConfig issuer, Duration timeout) {
        SSLContext tls;
        try {
            tls =
                    issuer.caFile() == null
                            ? SSLContext.getDefault()
                            : TlsTrust.fromPem(
                                    Files.readString(issuer.caFile(), StandardCharsets.US_ASCII),
                                    "caFile " + issuer.caFile() + " of issuer " + issuer.issuer());
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read caFile "
                            + issuer.caFile()
                            + " of issuer "
                            + issuer.issuer()
                            + ": "
                            + e,
                    e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
        return HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }
}
