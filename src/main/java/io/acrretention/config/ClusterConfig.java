package io.acrretention.config;

import java.net.URI;
import java.util.List;

/**
 * A cluster whose images are in use: either the Kubernetes API itself ({@code kind = kubernetes},
 * with {@code server} and a CA, or an AKS {@code resourceId}) or an inventory endpoint ({@code kind
 * = endpoint}).
 *
 * @param audience the Entra audience of the token sent to it
 * @param extraResources custom resources carrying pod templates, listed besides the built-in kinds
 *     (kubernetes only)
 * @param minImages an answer with fewer distinct images than this fails the cluster (0: no minimum)
 */
public record ClusterConfig(
        String name,
        Kind kind,
        URI server,
        String caFile,
        String caData,
        String resourceId,
        URI url,
        String audience,
        List<ExtraResource> extraResources,
        int minImages) {
    /** The AKS server application that Entra ID issues Kubernetes API tokens for. */
    public static final String AKS_AUDIENCE = "6dae42f8-4368-4678-94ff-3960e28e3630";

    public enum Kind {
        KUBERNETES,
        ENDPOINT
    }

    public ClusterConfig {
        extraResources = extraResources == null ? List.of() : List.copyOf(extraResources);
    }

    public ClusterConfig(
            String name,
            Kind kind,
            URI server,
            String caFile,
            String caData,
            String resourceId,
            URI url,
            String audience) {
        this(name, kind, server, caFile, caData, resourceId, url, audience, List.of(), 0);
    }
}
