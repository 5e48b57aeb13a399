package io.acrretention.inventory.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS context that trusts one cluster's CA and nothing else: a cluster's API server certificate
 * is signed by its own CA, and trusting the public roots as well would only widen who could
 * impersonate it.
 */
public final class TlsTrust {
    private TlsTrust() {}

    /** The CA from {@code caData} (PEM text) or {@code caFile} (a PEM file), whichever is given. */
    public static SSLContext fromConfig(String caData, String caFile) {
        if (caData != null) {
            return fromPem(caData, "caData");
        }
        if (caFile != null) {
            try {
                return fromPem(
                        Files.readString(Path.of(caFile), StandardCharsets.US_ASCII),
                        "caFile " + caFile);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read caFile " + caFile + ": " + e, e);
            }
        }
        throw new IllegalArgumentException("no cluster CA given (caData or caFile)");
    }

    /**
     * @param what names where the PEM came from, for the error message
     */
    public static SSLContext fromPem(String pem, String what) {
        try {
            Collection<? extends Certificate> certs =
                    CertificateFactory.getInstance("X.509")
                            .generateCertificates(
                                    new ByteArrayInputStream(
                                            pem.getBytes(StandardCharsets.US_ASCII)));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(what + " holds no PEM certificate");
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate cert : certs) {
                trust.setCertificateEntry("ca-" + i++, cert);
            }
            TrustManagerFactory tmf =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(
                    what + " is not a PEM CA certificate: " + e.getMessage(), e);
        }
    }
}
