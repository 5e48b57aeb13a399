package io.acrretention.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at test time and a server certificate it signs for 127.0.0.1 and
 * localhost, so loopback emulators speak real TLS and clients verify it (never by switching
 * verification off).
 */
public final class TestCertificates {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final X509Certificate caCert;
    private final KeyPair serverKeys;
    private final X509Certificate serverCert;

    private TestCertificates(
            X509Certificate caCert, KeyPair serverKeys, X509Certificate serverCert) {
        this.caCert = caCert;
        this.serverKeys = serverKeys;
        this.serverCert = serverCert;
    }

    /** A new CA and a server certificate for 127.0.0.1 / localhost signed by it. */
    public static TestCertificates create(String caName) {
        try {
            KeyPair caKeys = ecKeys();
            X500Name caSubject = new X500Name("CN=" + caName);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder ca =
                    new JcaX509v3CertificateBuilder(
                            caSubject,
                            serial(),
                            Date.from(now.minus(Duration.ofHours(1))),
                            Date.from(now.plus(Duration.ofDays(2))),
                            caSubject,
                            caKeys.getPublic());
            ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            ca.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate caCert = sign(ca, caKeys);

            KeyPair serverKeys = ecKeys();
            JcaX509v3CertificateBuilder server =
                    new JcaX509v3CertificateBuilder(
                            caSubject,
                            serial(),
                            Date.from(now.minus(Duration.ofHours(1))),
                            Date.from(now.plus(Duration.ofDays(2))),
                            new X500Name("CN=localhost"),
                            serverKeys.getPublic());
            server.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            server.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(
                            new GeneralName[] {
                                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                                new GeneralName(GeneralName.dNSName, "localhost")
                            }));
            X509Certificate serverCert = sign(server, caKeys);
            return new TestCertificates(caCert, serverKeys, serverCert);
        } catch (GeneralSecurityException
                | org.bouncycastle.operator.OperatorCreationException
                | org.bouncycastle.cert.CertIOException e) {
            throw new IllegalStateException("cannot make test certificates", e);
        }
    }

    public X509Certificate caCertificate() {
        return caCert;
    }

    /** The CA in PEM, as a cluster's {@code caData} or {@code caFile} holds it. */
    public String caPem() {
        return pem(caCert);
    }

    /** The server certificate and the CA, in PEM: a server's certificate chain file. */
    public String serverChainPem() {
        return pem(serverCert) + pem(caCert);
    }

    /** The server's private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    public String serverKeyPem() {
        return "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder(
                                64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                        .encodeToString(serverKeys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** For an HTTPS server: presents the server certificate and its chain. */
    public SSLContext serverContext() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(
                    "server",
                    serverKeys.getPrivate(),
                    PASSWORD,
                    new java.security.cert.Certificate[] {serverCert, caCert});
            KeyManagerFactory kmf =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A trust store holding only this CA. */
    public KeyStore trustStore() {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("test-ca", caCert);
            return ts;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For a client: trusts this CA and nothing else. */
    public SSLContext clientContext() {
        try {
            TrustManagerFactory tmf =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes the trust store (PKCS12, password {@code changeit}) for a JVM started with
     * javax.net.ssl.trustStore.
     */
    public Path writeTrustStore(Path file) {
        try (var out = Files.newOutputStream(file)) {
            trustStore().store(out, PASSWORD);
            return file;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String trustStorePassword() {
        return new String(PASSWORD);
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair issuer)
            throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        ContentSigner signer =
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static String pem(Object o) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }
}
