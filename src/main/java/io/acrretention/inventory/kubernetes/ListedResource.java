package io.acrretention.inventory.kubernetes;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * One list the Kubernetes source reads, in all namespaces: a built-in workload kind or a custom
 * resource.
 */
interface ListedResource {
    /** How errors and progress name it: {@code replicasets}, {@code rollouts.argoproj.io}. */
    String plural();

    /** The list path under the API server. */
    String path();

    /**
     * True for a resource that a cluster may simply not have (a custom resource whose API is not
     * installed): a 404 on its list means {@code not-installed}, not a failure. A built-in kind
     * answering 404 is a failure.
     */
    boolean optional();

    /**
     * Records the images of one item; called at the item's {@code START_OBJECT}, reads to its end.
     */
    void read(JsonParser p, PodImages images) throws IOException;
}
