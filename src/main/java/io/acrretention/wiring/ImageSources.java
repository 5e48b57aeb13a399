package io.acrretention.wiring;

import com.azure.core.credential.TokenCredential;
import io.acrretention.config.ClusterConfig;
import io.acrretention.config.Limits;
import io.acrretention.inventory.ImageSink;
import io.acrretention.inventory.ImageSource;
import io.acrretention.inventory.endpoint.EndpointSource;
import io.acrretention.inventory.http.BearerHttp;
import io.acrretention.inventory.http.TlsTrust;
import io.acrretention.inventory.kubernetes.ApiServer;
import io.acrretention.inventory.kubernetes.ArmEndpoint;
import io.acrretention.inventory.kubernetes.KubernetesSource;
import io.acrretention.inventory.kubernetes.ResourceIdServer;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Builds one {@link ImageSource} per configured cluster. Nothing is read or called here: a CA file
 * that cannot be read or an ARM call that fails shows up as that cluster's failure when it is
 * collected.
 */
public final class ImageSources {
    private final TokenCredential credential;
    private final Limits limits;
    private final ArmEndpoint arm;
    private final int pageSize;

    public ImageSources(TokenCredential credential, Limits limits, ArmEndpoint arm) {
        this(credential, limits, arm, KubernetesSource.DEFAULT_PAGE_SIZE);
    }

    /**
     * @param pageSize objects per Kubernetes list page ({@code limit})
     */
    public ImageSources(TokenCredential credential, Limits limits, ArmEndpoint arm, int pageSize) {
        this.credential = credential;
        this.limits = limits;
        this.arm = arm;
        this.pageSize = pageSize;
    }

    public List<ImageSource> create(List<ClusterConfig> clusters) {
        return clusters.stream().map(this::create).toList();
    }

    public ImageSource create(ClusterConfig c) {
        ImageSource source = listing(c);
        return c.minImages() == 0 ? source : new AtLeast(source, c.minImages());
    }

    private ImageSource listing(ClusterConfig c) {
        String scope = c.audience() + "/.default";
        return switch (c.kind()) {
            case ENDPOINT ->
                    new EndpointSource(c.name(), c.url(), () -> http(endpointTrust(c), scope));
            case KUBERNETES ->
                    new KubernetesSource(
                            c.name(),
                            c.resourceId() != null
                                    ? new ResourceIdServer(
                                            c.resourceId(),
                                            arm,
                                            http(arm.tls(), arm.scope()),
                                            ca ->
                                                    http(
                                                            TlsTrust.fromPem(
                                                                    ca, "the cluster CA from ARM"),
                                                            scope))
                                    : () ->
                                            new ApiServer(
                                                    c.server(),
                                                    http(
                                                            TlsTrust.fromConfig(
                                                                    c.caData(), c.caFile()),
                                                            scope)),
                            pageSize,
                            c.extraResources());
        };
    }

    /** An endpoint without its own CA is a public HTTPS service: the JDK's roots verify it. */
    private static SSLContext endpointTrust(ClusterConfig c) {
        if (c.caData() == null && c.caFile() == null) {
            try {
                return SSLContext.getDefault();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no default TLS context", e);
            }
        }
        return TlsTrust.fromConfig(c.caData(), c.caFile());
    }

    private BearerHttp http(SSLContext tls, String scope) {
        return new BearerHttp(
                tls, credential, scope, limits.requestTimeout(), limits.maxResponseBytes());
    }

    /** A source with the cluster's configured minimum of images; the collector enforces it. */
    private record AtLeast(ImageSource source, int minImages) implements ImageSource {
        @Override
        public String cluster() {
            return source.cluster();
        }

        @Override
        public void collect(ImageSink sink) {
            source.collect(sink);
        }
    }
}
