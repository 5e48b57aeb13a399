package io.acrretention.inventory.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The kinds whose pod specs hold images, each listed in all namespaces, with one small function per kind
 * where the pod spec sits somewhere else. ReplicaSets are listed on purpose: they are the rollback history.
 */
enum WorkloadKind {
    PODS("pods", "/api/v1/pods") {
        @Override
        void images(JsonNode item, PodImages images) {
            images.record(item.get("spec"), item.get("status"), describe(item));
        }
    },
    DEPLOYMENTS("deployments", "/apis/apps/v1/deployments"),
    REPLICASETS("replicasets", "/apis/apps/v1/replicasets"),
    STATEFULSETS("statefulsets", "/apis/apps/v1/statefulsets"),
    DAEMONSETS("daemonsets", "/apis/apps/v1/daemonsets"),
    JOBS("jobs", "/apis/batch/v1/jobs"),
    CRONJOBS("cronjobs", "/apis/batch/v1/cronjobs") {
        @Override
        void images(JsonNode item, PodImages images) {
            JsonNode spec = item.path("spec").path("jobTemplate").path("spec").path("template").get("spec");
            images.record(spec, null, describe(item) + " (spec.jobTemplate.spec.template.spec)");
        }
    };

    private final String plural;
    private final String path;

    WorkloadKind(String plural, String path) {
        this.plural = plural;
        this.path = path;
    }

    String plural() {
        return plural;
    }

    /** The list path under the API server, all namespaces. */
    String path() {
        return path;
    }

    /** Deployments, ReplicaSets, StatefulSets, DaemonSets and Jobs keep their pod spec in the template. */
    void images(JsonNode item, PodImages images) {
        images.record(item.path("spec").path("template").get("spec"), null, describe(item) + " (spec.template.spec)");
    }

    String describe(JsonNode item) {
        JsonNode metadata = item.path("metadata");
        return plural + " " + metadata.path("namespace").asText("?") + "/" + metadata.path("name").asText("?");
    }
}
