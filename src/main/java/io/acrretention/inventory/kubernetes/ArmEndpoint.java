package io.acrretention.inventory.kubernetes;

import java.net.URI;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;

/**
 * Azure Resource Manager: where it answers and whom to trust for it. Public Azure by default; tests
 * and sovereign clouds give their own.
 */
public record ArmEndpoint(URI endpoint, SSLContext tls) {
    public static final URI AZURE_PUBLIC = URI.create("https://management.azure.com");

    /** Public Azure, verified against the JDK's trusted roots. */
    public static ArmEndpoint azurePublic() {
        try {
            return new ArmEndpoint(AZURE_PUBLIC, SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /** The token scope for this endpoint, e.g. {@code https://management.azure.com/.default}. */
    public String scope() {
        return base() + "/.default";
    }

    String base() {
        return endpoint.toString().replaceAll("/+$", "");
    }
}
