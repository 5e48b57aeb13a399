package io.acrretention.config;

import java.net.URI;

/**
 * A registry to clean.
 *
 * @param endpoint    where to call it, e.g. {@code https://mactemp.azurecr.io} or an emulator's {@code https://127.0.0.1:8443}
 * @param loginServer the name images use for it (host[:port], lower case): its identity
 * @param audience    the Entra audience for the ACR token exchange; null for the SDK's default
 * @param pullLogs    where its pull logs are, for {@code keepPulledWithin}; null when not configured
 */
public record RegistryConfig(URI endpoint, String loginServer, String audience, PullLogsConfig pullLogs) {
}
