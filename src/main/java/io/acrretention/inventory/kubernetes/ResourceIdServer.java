package io.acrretention.inventory.kubernetes;

import io.acrretention.inventory.http.BearerHttp;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An AKS cluster known by its resource id: its server and CA are read through ARM at each
 * collection.
 */
public final class ResourceIdServer implements Supplier<ApiServer> {
    private final String resourceId;
    private final AksCredentials credentials;
    private final Function<String, BearerHttp> clusterHttp;

    /**
     * @param clusterHttp builds the cluster client from the CA PEM that ARM returned
     */
    public ResourceIdServer(
            String resourceId,
            ArmEndpoint arm,
            BearerHttp armHttp,
            Function<String, BearerHttp> clusterHttp) {
        this.resourceId = resourceId;
        this.credentials = new AksCredentials(arm, armHttp);
        this.clusterHttp = clusterHttp;
    }

    @Override
    public ApiServer get() {
        Kubeconfig kubeconfig = credentials.read(resourceId);
        return new ApiServer(kubeconfig.server(), clusterHttp.apply(kubeconfig.caPem()));
    }
}
