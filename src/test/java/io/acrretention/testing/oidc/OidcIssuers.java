package io.acrretention.testing.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import io.acrretention.testing.LoopbackHttps;
import io.acrretention.testing.TestCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback OpenID Connect issuers over verified TLS, several on one server ({@code
 * https://127.0.0.1:port/{name}}): each answers its discovery document and its key set, made in the
 * test (RSA and EC), rotated on demand, and counts the requests it gets so tests can see how often
 * a verifier fetches.
 */
public final class OidcIssuers implements AutoCloseable {
    private final LoopbackHttps server;
    private final Map<String, Issuer> issuers = new ConcurrentHashMap<>();

    private OidcIssuers(TestCertificates certs) {
        server = LoopbackHttps.start(certs, "oidc-issuers", 0, this::handle);
    }

    public static OidcIssuers start(TestCertificates certs) {
        return new OidcIssuers(certs);
    }

    /** A new issuer at {@code https://127.0.0.1:port/{name}}, with no keys yet. */
    public Issuer add(String name) {
        Issuer issuer = new Issuer(name);
        issuers.put(name, issuer);
        return issuer;
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String[] parts = ex.getRequestURI().getPath().split("/", 3);
            Issuer issuer = parts.length == 3 ? issuers.get(parts[1]) : null;
            if (issuer == null) {
                send(ex, 404, "{}");
                return;
            }
            switch (parts[2]) {
                case ".well-known/openid-configuration" -> {
                    issuer.discoveryRequests.incrementAndGet();
                    send(
                            ex,
                            200,
                            "{\"issuer\":\""
                                    + issuer.url()
                                    + "\",\"jwks_uri\":\""
                                    + issuer.url()
                                    + "/discovery/keys\",\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES256\"]}");
                }
                case "discovery/keys" -> {
                    issuer.jwksRequests.incrementAndGet();
                    String keys =
                            new JWKSet(new ArrayList<>(issuer.published))
                                    .toPublicJWKSet()
                                    .toString();
                    if (issuer.trickle != null) {
                        trickle(ex, keys, issuer.trickle);
                    } else {
                        send(ex, 200, keys);
                    }
                }
                default -> send(ex, 404, "{}");
            }
        }
    }

    /**
     * Headers at once, then the body a byte at a time: a client's header time-out does not notice.
     */
    private static void trickle(HttpExchange ex, String body, Duration perByte) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        OutputStream out = ex.getResponseBody();
        for (byte b : bytes) {
            out.write(b);
            out.flush();
            try {
                Thread.sleep(perByte.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        out.close();
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** One issuer: its keys (private parts kept here to sign with) and its request counts. */
    public final class Issuer {
        private final String name;
        private final Map<String, JWK> keys = new ConcurrentHashMap<>();
        private final List<JWK> published = new CopyOnWriteArrayList<>();
        private final AtomicInteger discoveryRequests = new AtomicInteger();
        private final AtomicInteger jwksRequests = new AtomicInteger();
        private volatile Duration trickle;

        private Issuer(String name) {
            this.name = name;
        }

        /** The {@code iss} of its tokens. */
        public String url() {
            return server.base() + "/" + name;
        }

        /** Makes a 2048-bit RSA signing key and publishes it. */
        public Issuer rsaKey(String kid) {
            try {
                return publish(
                        new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).generate());
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Makes a P-256 signing key and publishes it. */
        public Issuer ecKey(String kid) {
            try {
                return publish(
                        new ECKeyGenerator(Curve.P_256)
                                .keyID(kid)
                                .keyUse(KeyUse.SIGNATURE)
                                .generate());
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * A key made but never published: what a forger, or a rotation not yet published, signs
         * with.
         */
        public Issuer unpublishedRsaKey(String kid) {
            try {
                keys.put(kid, new RSAKeyGenerator(2048).keyID(kid).generate());
                return this;
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Publishes a key made with {@link #unpublishedRsaKey}. */
        public Issuer publish(String kid) {
            published.add(keys.get(kid).toPublicJWK());
            return this;
        }

        /** Takes a key out of the key set (a rotation's end). */
        public Issuer withdraw(String kid) {
            published.removeIf(k -> kid.equals(k.getKeyID()));
            return this;
        }

        public JWK key(String kid) {
            return keys.get(kid);
        }

        /**
         * Claims from this issuer for {@code audience}, valid from a minute ago for five minutes.
         */
        public JWTClaimsSet.Builder claims(String audience) {
            Instant now = Instant.now();
            return new JWTClaimsSet.Builder()
                    .issuer(url())
                    .audience(audience)
                    .subject("caller")
                    .issueTime(Date.from(now.minusSeconds(60)))
                    .notBeforeTime(Date.from(now.minusSeconds(60)))
                    .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
        }

        /** Signs with key {@code kid}: RS256 for an RSA key, ES256 for an EC key. */
        public String sign(String kid, JWTClaimsSet claims) {
            JWK key = keys.get(kid);
            return sign(
                    kid, key instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256, claims);
        }

        public String sign(String kid, JWSAlgorithm alg, JWTClaimsSet claims) {
            JWK key = keys.get(kid);
            try {
                JWSSigner signer =
                        key instanceof RSAKey rsa
                                ? new RSASSASigner(rsa)
                                : new ECDSASigner((ECKey) key);
                SignedJWT jwt =
                        new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
                jwt.sign(signer);
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * From now on its key set is sent a byte per {@code perByte}, after the headers came at
         * once.
         */
        public Issuer trickleKeys(Duration perByte) {
            trickle = perByte;
            return this;
        }

        public int discoveryRequests() {
            return discoveryRequests.get();
        }

        public int jwksRequests() {
            return jwksRequests.get();
        }

        private Issuer publish(JWK key) {
            keys.put(key.getKeyID(), key);
            published.add(key.toPublicJWK());
            return this;
        }
    }
}
