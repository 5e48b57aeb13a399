package io.acrretention.config;

import io.acrretention.retention.RetentionPolicy;
import java.util.List;
import java.util.Optional;

/** The one configuration document shared by the functions and the command line (DESIGN.md). */
public record RetentionConfig(List<RegistryConfig> registries, List<ClusterConfig> clusters,
                              RetentionPolicy policy, Limits limits) {
    public RetentionConfig {
        registries = List.copyOf(registries);
        clusters = List.copyOf(clusters);
    }

    public Optional<RegistryConfig> registry(String loginServer) {
        return registries.stream().filter(r -> r.loginServer().equals(loginServer)).findFirst();
    }
}
