package io.acrretention.config;

import io.acrretention.image.RegistryNames;
import io.acrretention.retention.RetentionPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one configuration document shared by the functions and the command line
 * (docs/configuration.md).
 */
public record RetentionConfig(
        List<RegistryConfig> registries,
        List<ClusterConfig> clusters,
        RetentionPolicy policy,
        Limits limits) {
    public RetentionConfig {
        registries = List.copyOf(registries);
        clusters = List.copyOf(clusters);
    }

    /**
     * The registry a name stands for, in any equivalent spelling: case, {@code :443}, or one of its
     * aliases.
     */
    public Optional<RegistryConfig> registry(String name) {
        String canonical = registryNames().canonical(name);
        return registries.stream().filter(r -> r.loginServer().equals(canonical)).findFirst();
    }

    /** Every configured alias, mapped to its registry's login server. */
    public RegistryNames registryNames() {
        Map<String, List<String>> aliases = new LinkedHashMap<>();
        registries.forEach(r -> aliases.put(r.loginServer(), r.aliases()));
        return RegistryNames.of(aliases);
    }
}
