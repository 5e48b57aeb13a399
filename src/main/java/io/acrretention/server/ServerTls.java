package io.acrretention.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The server's own TLS identity: a PEM certificate chain with its PKCS#8 key, or a PKCS12 file. */
final class ServerTls {
    private static final Pattern PKCS8 =
            Pattern.compile(
                    "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private ServerTls() {}

    static SSLContext context(ServerConfig.Tls tls) {
        // A PEM key goes into an in-memory store that needs some password; it never leaves this
        // process.
        char[] password =
                tls.pkcs12File() == null
                        ? "in-memory".toCharArray()
                        : tls.pkcs12Password() == null
                                ? new char[0]
                                : tls.pkcs12Password().toCharArray();
        KeyStore store;
        String what;
        try {
            if (tls.pkcs12File() != null) {
                what = "the PKCS12 file " + tls.pkcs12File();
                store = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(tls.pkcs12File())) {
                    store.load(in, password);
                }
            } else {
                what = "the certificate " + tls.certFile() + " and key " + tls.keyFile();
                store = fromPem(tls.certFile(), tls.keyFile(), password);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "cannot load the server's TLS identity: " + e.getMessage(), e);
        }
        try {
            KeyManagerFactory kmf =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(what + " holds no usable key: " + e.getMessage(), e);
        }
    }

    private static KeyStore fromPem(Path certFile, Path keyFile, char[] password)
            throws IOException, GeneralSecurityException {
        Certificate[] chain =
                CertificateFactory.getInstance("X.509")
                        .generateCertificates(
                                new ByteArrayInputStream(Files.readAllBytes(certFile)))
                        .toArray(Certificate[]::new);
        if (chain.length == 0) {
            throw new IOException(certFile + " holds no PEM certificate");
        }
        String keyPem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        Matcher m = PKCS8.matcher(keyPem);
        if (!m.find()) {
            throw new IOException(
                    keyFile
                            + " holds no PKCS#8 key (-----BEGIN PRIVATE KEY-----); convert it with "
                            + "'openssl pkcs8 -topk8 -nocrypt', or set privateKey.encoding: PKCS8 in cert-manager");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1).strip());
        String algorithm = chain[0].getPublicKey().getAlgorithm();
        PrivateKey key =
                KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, password, chain);
        return store;
    }
}
