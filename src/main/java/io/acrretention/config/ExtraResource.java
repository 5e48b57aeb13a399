package io.acrretention.config;

/**
 * A custom resource that carries pod templates (Argo Rollouts, KEDA ScaledJobs, Argo CronWorkflows,
 * Knative Services), listed like a built-in kind: {@code {"group": "argoproj.io", "version":
 * "v1alpha1", "resource": "rollouts"}}.
 */
public record ExtraResource(String group, String version, String resource) {
    /** The list path under the API server, all namespaces. */
    public String path() {
        return "/apis/" + group + "/" + version + "/" + resource;
    }

    /** {@code rollouts.argoproj.io/v1alpha1}, as reports name it. */
    @Override
    public String toString() {
        return resource + "." + group + "/" + version;
    }
}
