package io.acrretention.wiring;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import io.acrretention.cleanup.Cleaner;
import io.acrretention.config.RegistryConfig;
import io.acrretention.config.RetentionConfig;
import io.acrretention.inventory.InventoryCollector;
import io.acrretention.inventory.kubernetes.ArmEndpoint;
import io.acrretention.registry.PullLogs;
import io.acrretention.registry.Registry;
import io.acrretention.registry.acr.AcrRegistry;
import io.acrretention.registry.loganalytics.LogAnalyticsPulls;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the adapters a configuration names (registries, pull logs, cluster sources, cleaners). The
 * function app's, the command line's and the inventory server's wiring in this package call it; the
 * core and the run see only the ports.
 */
public final class Adapters {
    private Adapters() {}

    /**
     * @param httpClient null in production; a client trusting a test CA in tests
     */
    public static Map<String, Registry> registries(
            RetentionConfig config, TokenCredential credential, HttpClient httpClient) {
        Map<String, Registry> out = new LinkedHashMap<>();
        for (RegistryConfig r : config.registries()) {
            out.put(
                    r.loginServer(),
                    AcrRegistry.create(
                            r.endpoint(),
                            r.loginServer(),
                            credential,
                            r.audience(),
                            config.limits().requestTimeout(),
                            httpClient));
        }
        return out;
    }

    /**
     * The registries' pull logs, when {@code keepPulledWithin} is set (the configuration then names
     * a workspace for every registry).
     *
     * @param httpClient null in production; a client trusting a test CA in tests
     */
    public static PullLogs pullLogs(
            RetentionConfig config, TokenCredential credential, HttpClient httpClient) {
        if (config.policy().pullWindow().isEmpty()) {
            return PullLogs.NONE;
        }
        Map<String, LogAnalyticsPulls.Workspace> logs = new LinkedHashMap<>();
        config.registries().stream()
                .filter(r -> r.pullLogs() != null)
                .forEach(
                        r ->
                                logs.put(
                                        r.loginServer(),
                                        new LogAnalyticsPulls.Workspace(
                                                r.pullLogs().workspaceId(),
                                                r.pullLogs().excludeIdentities(),
                                                r.pullLogs().endpoint())));
        HttpClient client =
                httpClient != null
                        ? httpClient
                        : new com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder()
                                .connectionTimeout(config.limits().requestTimeout())
                                .responseTimeout(config.limits().requestTimeout())
                                .build();
        return new LogAnalyticsPulls(logs, credential, client);
    }

    public static InventoryCollector collector(
            RetentionConfig config, TokenCredential credential, ArmEndpoint arm, Clock clock) {
        return new InventoryCollector(
                new ImageSources(credential, config.limits(), arm).create(config.clusters()),
                config.limits(),
                clock,
                config.registryNames());
    }

    public static Function<Registry, Cleaner> cleaners(RetentionConfig config) {
        return registry -> new Cleaner(registry, config.limits().deleteConcurrency());
    }
}
