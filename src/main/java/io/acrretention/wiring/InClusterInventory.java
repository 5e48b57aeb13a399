package io.acrretention.wiring;

import io.acrretention.inventory.ImageSource;
import io.acrretention.inventory.http.BearerHttp;
import io.acrretention.inventory.http.TlsTrust;
import io.acrretention.inventory.kubernetes.ApiServer;
import io.acrretention.inventory.kubernetes.KubernetesSource;
import io.acrretention.server.InventoryServer;
import io.acrretention.server.ServerConfig;
import io.acrretention.server.ServiceAccountToken;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * The inventory server's composition root ({@code acr-retention serve-inventory}): it lists its own
 * cluster with the same streaming Kubernetes source the retention app uses, through the pod's
 * read-only service account.
 */
public final class InClusterInventory {
    /** The name the server's own cluster has in its log lines and errors. */
    static final String CLUSTER = "in-cluster";

    private InClusterInventory() {}

    /** Serves until the process is stopped; the exit code as {@link InventoryServer#run} says. */
    public static int serve(Path configFile, Map<String, String> env, PrintWriter err) {
        return InventoryServer.run(configFile, env, err, InClusterInventory::source);
    }

    /** Starts serving {@code config} and returns at once. */
    public static InventoryServer start(ServerConfig config) throws IOException {
        return InventoryServer.start(config, source(config));
    }

    static ImageSource source(ServerConfig config) {
        ServerConfig.Kubernetes k = config.kubernetes();
        ServiceAccountToken token =
                new ServiceAccountToken(k.tokenFile(), k.tokenRefresh(), System::nanoTime);
        // The CA file is read per listing: a failure to read it is that listing's 503, not a crash
        // at start.
        return new KubernetesSource(
                CLUSTER,
                () ->
                        new ApiServer(
                                k.server(),
                                new BearerHttp(
                                        TlsTrust.fromConfig(null, k.caFile().toString()),
                                        token,
                                        "kubernetes",
                                        k.requestTimeout(),
                                        k.maxResponseBytes())),
                k.pageSize());
    }
}
