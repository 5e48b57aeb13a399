package io.acrretention.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.acrretention.json.Json;
import io.acrretention.testing.TestCertificates;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenVerificationIT {
    @TempDir Path dir;
    ServerFixture f;

    @BeforeEach
    void setUp() {
        f = new ServerFixture(dir);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    /**
     * Asserts a 401 with the bearer challenge and the same body whatever the reason (a caller
     * probing tokens learns nothing), {@code reason} in the server's log, and that nothing was
     * listed.
     */
    void rejected(String token, String reason) throws Exception {
        if (f.server == null) {
            f.start();
        }
        HttpResponse<String> response;
        String log;
        try (CapturedServerLog serverLog = new CapturedServerLog()) {
            response = f.get("/images", token);
            log = serverLog.text();
        }

        assertEquals(401, response.statusCode(), response.body());
        assertEquals(
                "Bearer error=\"invalid_token\"",
                response.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals(
                InventoryServer.UNAUTHORIZED,
                Json.MAPPER.readTree(response.body()).get("message").asText());
        assertTrue(
                log.contains("WARN inventory-server: rejected a caller from 127.0.0.1: " + reason),
                log);
        assertEquals(0, f.cluster.requests("pods"), "a rejected caller must not cause a listing");
    }

    @Test
    void noAuthorizationHeaderIsRejected() throws Exception {
        rejected(null, "no bearer token");
    }

    @Test
    void aMalformedTokenIsRejected() throws Exception {
        rejected("not.a-jwt", "malformed token");
    }

    @Test
    void anUnsignedTokenWithAlgNoneIsRejected() throws Exception {
        rejected(new PlainJWT(f.entraClaims().build()).serialize(), "unsigned token (alg none)");
    }

    @Test
    void anHmacTokenKeyedWithThePublishedPublicKeyIsRejected() throws Exception {
        // The classic key-confusion attack: the issuer's public key, which anyone can fetch, used
        // as an HMAC secret.
        byte[] publicKey = ((RSAKey) f.entra.key("entra-1")).toRSAPublicKey().getEncoded();
        SignedJWT jwt =
                new SignedJWT(
                        new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("entra-1").build(),
                        f.entraClaims().build());
        jwt.sign(new MACSigner(publicKey));

        rejected(jwt.serialize(), "signature algorithm HS256 is not accepted");
    }

    @Test
    void aTokenFromAnUnknownIssuerIsRejected() throws Exception {
        var stranger = f.issuers.add("stranger").rsaKey("s-1");

        rejected(
                stranger.sign(
                        "s-1",
                        stranger.claims(ServerFixture.ENTRA_AUDIENCE)
                                .claim("tid", ServerFixture.TENANT)
                                .claim("oid", "oid-retention-app")
                                .build()),
                "untrusted issuer");
        assertEquals(0, stranger.discoveryRequests());
    }

    @Test
    void aTokenForAnotherAudienceIsRejected() throws Exception {
        rejected(
                f.entra.sign(
                        "entra-1",
                        f.entraClaims().audience("https://management.azure.com").build()),
                "audience not accepted");
    }

    @Test
    void anExpiredTokenIsRejectedOnceTheSkewHasPassed() throws Exception {
        Instant now = Instant.now();
        f.start();
        String withinSkew =
                f.entra.sign(
                        "entra-1",
                        f.entraClaims().expirationTime(Date.from(now.minusSeconds(20))).build());
        assertEquals(200, f.get("/images", withinSkew).statusCode());

        HttpResponse<String> response =
                f.get(
                        "/images",
                        f.entra.sign(
                                "entra-1",
                                f.entraClaims()
                                        .expirationTime(Date.from(now.minusSeconds(120)))
                                        .build()));

        assertEquals(401, response.statusCode());
        assertEquals("{\"message\":\"" + InventoryServer.UNAUTHORIZED + "\"}", response.body());
    }

    @Test
    void aTokenNotValidYetIsRejected() throws Exception {
        rejected(
                f.entra.sign(
                        "entra-1",
                        f.entraClaims()
                                .notBeforeTime(Date.from(Instant.now().plusSeconds(600)))
                                .build()),
                "token not valid yet (nbf)");
    }

    @Test
    void aTokenWithoutExpiryIsRejected() throws Exception {
        rejected(
                f.entra.sign("entra-1", f.entraClaims().expirationTime(null).build()),
                "the token has no expiry (exp)");
    }

    @Test
    void aTokenMissingARequiredClaimIsRejected() throws Exception {
        rejected(
                f.entra.sign("entra-1", f.entraClaims().claim("tid", null).build()),
                "missing claim 'tid'");
    }

    @Test
    void aTokenWithAWrongClaimValueIsRejected() throws Exception {
        rejected(
                f.entra.sign("entra-1", f.entraClaims().claim("oid", "oid-intruder").build()),
                "claim 'oid' has a value that is not accepted");
        rejected(
                f.github.sign("gh-1", f.githubClaims().claim("ref", "refs/heads/feature").build()),
                "claim 'ref' has a value that is not accepted");
    }

    @Test
    void aGithubTokenFromAnotherRepositoryIsRefusedEvenUnderTheSameName() throws Exception {
        // Someone else's repository, or contoso/retention deleted and registered again by someone
        // else.
        rejected(
                f.github.sign("gh-1", f.githubClaims().claim("repository_id", "99999").build()),
                "claim 'repository_id' has a value that is not accepted");
        rejected(
                f.github.sign(
                        "gh-1",
                        f.githubClaims()
                                .claim("repository", "intruder/retention")
                                .claim("repository_owner", "intruder")
                                .claim("repository_id", "4711")
                                .build()),
                "claim 'repository_id' has a value that is not accepted");
    }

    @Test
    void aForgedAlgorithmWithALineBreakIsEscapedInTheLogAndCannotWriteALineOfItsOwn()
            throws Exception {
        String[] parts = f.entraToken().split("\\.");
        String header =
                Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(
                                ("{\"alg\":\"RS256\\n"
                                                + "2026-01-01T00:00:00Z INFO inventory-server: answered 812 images to iss=admin\",\"kid\":\"entra-1\"}")
                                        .getBytes());

        rejected(
                header + "." + parts[1] + "." + parts[2],
                "signature algorithm RS256\\n2026-01-01T00:00:00Z INFO "
                        + "inventory-server: answered 812 images to iss=admin is not accepted");
    }

    @Test
    void aTokenWithAChangedPayloadFailsItsSignature() throws Exception {
        String[] parts = f.entraToken().split("\\.");
        JWTClaimsSet forged = f.entraClaims().claim("oid", "oid-other").subject("intruder").build();
        String payload =
                Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(forged.toString().getBytes());

        rejected(parts[0] + "." + payload + "." + parts[2], "bad signature");
    }

    @Test
    void aTokenSignedWithAnUnpublishedKeyUnderAPublishedKidFailsItsSignature() throws Exception {
        f.entra.unpublishedRsaKey("forger");
        SignedJWT jwt =
                new SignedJWT(
                        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("entra-1").build(),
                        f.entraClaims().build());
        jwt.sign(new RSASSASigner((RSAKey) f.entra.key("forger")));

        rejected(jwt.serialize(), "bad signature");
    }

    @Test
    void anEcKeyDoesNotVerifyAnRsaAlgorithm() throws Exception {
        String token = f.github.sign("gh-1", f.githubClaims().build());
        String[] parts = token.split("\\.");
        String header =
                Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("{\"alg\":\"RS256\",\"kid\":\"gh-1\"}".getBytes());

        rejected(
                header + "." + parts[1] + "." + parts[2],
                "the signing key is not for RS256 signatures");
    }

    @Test
    void anUnknownKidFollowsAKeyRotationOfTheIssuer() throws Exception {
        var config = f.config();
        config.with("oidc").put("minKeyRefresh", "PT1S");
        f.start(config);
        assertEquals(200, f.get("/images", f.entraToken()).statusCode());
        assertEquals(1, f.entra.jwksRequests());
        Thread.sleep(1100); // the shortest refresh interval allowed

        f.entra.rsaKey("entra-2").withdraw("entra-1");
        HttpResponse<String> rotated =
                f.get("/images", f.entra.sign("entra-2", f.entraClaims().build()));

        assertEquals(200, rotated.statusCode(), rotated.body());
        assertEquals(2, f.entra.jwksRequests());
    }

    @Test
    void aFloodOfUnknownKidsFetchesTheKeysNoMoreOftenThanTheMinimumInterval() throws Exception {
        f.start();
        assertEquals(200, f.get("/images", f.entraToken()).statusCode());
        assertEquals(1, f.entra.jwksRequests());

        RSASSASigner signer = new RSASSASigner((RSAKey) f.entra.key("entra-1"));
        for (int i = 0; i < 50; i++) {
            SignedJWT jwt =
                    new SignedJWT(
                            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("made-up-" + i).build(),
                            f.entraClaims().build());
            jwt.sign(signer);
            HttpResponse<String> response = f.get("/images", jwt.serialize());
            assertEquals(401, response.statusCode());
        }

        assertEquals(1, f.entra.jwksRequests(), "minKeyRefresh is an hour: no refetch within it");
        assertEquals(1, f.entra.discoveryRequests());
        assertEquals(
                200, f.get("/images", f.entraToken()).statusCode(), "the known key still works");
    }

    @Test
    void unreachableIssuerKeysAnswer503NotALetIn() throws Exception {
        // The issuer's TLS is verified against a CA that did not sign it: its keys cannot be
        // fetched.
        var config = f.config();
        f.write("other-ca.crt", TestCertificates.create("someone-else").caPem());
        config.get("issuers").forEach(i -> ((ObjectNode) i).put("caFile", f.file("other-ca.crt")));
        f.start(config);

        HttpResponse<String> response = f.get("/images", f.entraToken());

        assertEquals(503, response.statusCode(), response.body());
        assertFalse(response.body().contains("images\""));
        assertEquals(0, f.cluster.requests("pods"));
    }
}
