package io.acrretention.config;

import java.net.URI;
import java.util.List;

/**
 * A registry to clean.
 *
 * @param endpoint where to call it, e.g. {@code https://mactemp.azurecr.io} or an emulator's {@code
 *     https://127.0.0.1:8443}
 * @param loginServer the name images use for it, in normal form (host[:port], lower case, no {@code
 *     :443}): its identity
 * @param audience the Entra audience for the ACR token exchange; null for the SDK's default
 * @param aliases further names pods use for the same registry (a mirror, a proxy), in normal form
 * @param pullLogs where its pull logs are, for {@code keepPulledWithin}; null when not configured
 * @param quota its request quota ({@code sku} or {@code writesPerMinute}); null when not
 *     configured, and its deletes are then not paced
 */
public record RegistryConfig(
        URI endpoint,
        String loginServer,
        String audience,
        List<String> aliases,
        PullLogsConfig pullLogs,
        RegistryQuota quota) {
    public RegistryConfig {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }

    public RegistryConfig(URI endpoint, String loginServer, String audience) {
        this(endpoint, loginServer, audience, List.of(), null, null);
    }
}
