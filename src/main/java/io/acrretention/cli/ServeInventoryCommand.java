package io.acrretention.cli;

import io.acrretention.wiring.InClusterInventory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code acr-retention serve-inventory}: the in-cluster inventory endpoint
 * (deploy/kubernetes/README.md).
 */
@Command(
        name = "serve-inventory",
        mixinStandardHelpOptions = true,
        description =
                "Serve GET /images for this cluster to callers with a verified token (runs in the cluster).")
final class ServeInventoryCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "settings file (issuers, listen address, ...); environment variables override it")
    Path config;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        return InClusterInventory.serve(config, System.getenv(), spec.commandLine().getErr());
    }
}
