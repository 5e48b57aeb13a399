package io.acrretention.wiring;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.AzureCliCredentialBuilder;
import com.azure.identity.EnvironmentCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * The one credential the user names: never a chain that probes the network (the instance metadata
 * address, a browser) for whatever answers first.
 */
public final class Credentials {
    public static final List<String> KINDS =
            List.of("azure-cli", "managed-identity", "environment");

    private Credentials() {}

    /** Whether {@code kind} names a credential; if not, says so on {@code err}. */
    public static boolean known(String kind, PrintWriter err) {
        if (KINDS.contains(kind)) {
            return true;
        }
        err.println("error: --credential must be one of " + KINDS + ", not '" + kind + "'");
        return false;
    }

    /** Called only once every argument is valid: nothing touches a credential before. */
    static TokenCredential of(String kind) {
        return switch (kind) {
            case "azure-cli" ->
                    new AzureCliCredentialBuilder().processTimeout(Duration.ofSeconds(30)).build();
            case "managed-identity" -> {
                ManagedIdentityCredentialBuilder b = new ManagedIdentityCredentialBuilder();
                String clientId = System.getenv("AZURE_CLIENT_ID");
                yield (clientId == null || clientId.isBlank() ? b : b.clientId(clientId)).build();
            }
            case "environment" -> new EnvironmentCredentialBuilder().build();
            default ->
                    throw new IllegalArgumentException(
                            "--credential must be one of " + KINDS + ", not '" + kind + "'");
        };
    }
}
