package io.acrretention.inventory.kubernetes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * The built-in kinds whose pod specs hold images, each listed in all namespaces, with one small
 * function per kind where the pod spec sits somewhere else. The rollback history is listed on
 * purpose: ReplicaSets for Deployments, ControllerRevisions for StatefulSets and DaemonSets ({@code
 * kubectl rollout undo} restores one), ReplicationControllers and PodTemplates for what still uses
 * them.
 */
enum WorkloadKind implements ListedResource {
    PODS("pods", "/api/v1/pods") {
        @Override
        void images(JsonNode item, PodImages images) {
            images.record(item.get("spec"), item.get("status"), describe(item));
        }
    },
    REPLICATIONCONTROLLERS("replicationcontrollers", "/api/v1/replicationcontrollers"),
    PODTEMPLATES("podtemplates", "/api/v1/podtemplates") {
        @Override
        void images(JsonNode item, PodImages images) {
            images.record(
                    item.path("template").get("spec"), null, describe(item) + " (template.spec)");
        }
    },
    DEPLOYMENTS("deployments", "/apis/apps/v1/deployments"),
    REPLICASETS("replicasets", "/apis/apps/v1/replicasets"),
    STATEFULSETS("statefulsets", "/apis/apps/v1/statefulsets"),
    DAEMONSETS("daemonsets", "/apis/apps/v1/daemonsets"),
    CONTROLLERREVISIONS("controllerrevisions", "/apis/apps/v1/controllerrevisions") {
        /**
         * A StatefulSet's or DaemonSet's revision keeps its pod template in {@code
         * data.spec.template}, but any controller may own revisions with data of its own shape:
         * every container list inside counts, and a revision without one is no error.
         */
        @Override
        public void read(JsonParser p, PodImages images) throws IOException {
            ContainerLists.walk(p, images);
        }
    },
    JOBS("jobs", "/apis/batch/v1/jobs"),
    CRONJOBS("cronjobs", "/apis/batch/v1/cronjobs") {
        @Override
        void images(JsonNode item, PodImages images) {
            JsonNode spec =
                    item.path("spec").path("jobTemplate").path("spec").path("template").get("spec");
            images.record(spec, null, describe(item) + " (spec.jobTemplate.spec.template.spec)");
        }
    };

    private final String plural;
    private final String path;

    WorkloadKind(String plural, String path) {
        this.plural = plural;
        this.path = path;
    }

    @Override
    public String plural() {
        return plural;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public boolean optional() {
        return false;
    }

    @Override
    public void read(JsonParser p, PodImages images) throws IOException {
        images(ListPage.readItem(p), images);
    }

    /**
     * Deployments, ReplicaSets, StatefulSets, DaemonSets and Jobs keep their pod spec in the
     * template.
     */
    void images(JsonNode item, PodImages images) {
        images.record(
                item.path("spec").path("template").get("spec"),
                null,
                describe(item) + " (spec.template.spec)");
    }

    String describe(JsonNode item) {
        JsonNode metadata = item.path("metadata");
        return plural
                + " "
                + metadata.path("namespace").asText("?")
                + "/"
                + metadata.path("name").asText("?");
    }
}
