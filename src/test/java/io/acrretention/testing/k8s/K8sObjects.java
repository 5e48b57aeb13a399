package io.acrretention.testing.k8s;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/** Kubernetes objects in their real JSON shapes, for seeding the emulator. */
public final class K8sObjects {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private K8sObjects() {}

    /** A pod spec under construction: containers by group. */
    public static final class Spec {
        private final ObjectNode spec = F.objectNode();

        public Spec container(String name, String image) {
            return add("containers", name, image);
        }

        public Spec init(String name, String image) {
            return add("initContainers", name, image);
        }

        public Spec ephemeral(String name, String image) {
            return add("ephemeralContainers", name, image);
        }

        private Spec add(String group, String name, String image) {
            ObjectNode c = spec.withArray(group).addObject();
            c.put("name", name);
            if (image != null) {
                c.put("image", image);
            }
            c.put("imagePullPolicy", "IfNotPresent");
            c.putObject("resources")
                    .putObject("requests")
                    .put("cpu", "100m")
                    .put("memory", "128Mi");
            c.putArray("env")
                    .addObject()
                    .put("name", "ASPNETCORE_ENVIRONMENT")
                    .put("value", "Production");
            c.put("terminationMessagePath", "/dev/termination-log");
            return this;
        }

        ObjectNode json() {
            spec.put("restartPolicy", "Always");
            spec.put("serviceAccountName", "default");
            spec.put("dnsPolicy", "ClusterFirst");
            return spec.deepCopy();
        }
    }

    /** A pod status under construction: the imageID each container runs. */
    public static final class Status {
        private final ObjectNode status = F.objectNode().put("phase", "Running");

        public Status running(String name, String imageId) {
            return add("containerStatuses", name, imageId);
        }

        public Status initRan(String name, String imageId) {
            return add("initContainerStatuses", name, imageId);
        }

        public Status ephemeralRunning(String name, String imageId) {
            return add("ephemeralContainerStatuses", name, imageId);
        }

        private Status add(String group, String name, String imageId) {
            ObjectNode s = status.withArray(group).addObject();
            s.put("name", name).put("imageID", imageId).put("ready", true).put("restartCount", 0);
            s.put("containerID", "containerd://" + UUID.randomUUID().toString().replace("-", ""));
            return this;
        }
    }

    public static ObjectNode pod(String namespace, String name, Spec spec, Status status) {
        ObjectNode pod = object("v1", "Pod", namespace, name);
        pod.set("spec", spec.json());
        pod.set(
                "status",
                status == null ? F.objectNode().put("phase", "Pending") : status.status.deepCopy());
        return pod;
    }

    /**
     * A Deployment, ReplicaSet, StatefulSet, DaemonSet or Job: the pod spec sits in
     * spec.template.spec.
     */
    public static ObjectNode workload(String kind, String namespace, String name, Spec spec) {
        String apiVersion =
                kind.equals("Job")
                        ? "batch/v1"
                        : kind.equals("ReplicationController") ? "v1" : "apps/v1";
        ObjectNode o = object(apiVersion, kind, namespace, name);
        ObjectNode s = o.putObject("spec");
        s.put("replicas", 1).putObject("selector").putObject("matchLabels").put("app", name);
        ObjectNode template = s.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name);
        template.set("spec", spec.json());
        return o;
    }

    /** A CronJob: the pod spec sits in spec.jobTemplate.spec.template.spec. */
    public static ObjectNode cronJob(String namespace, String name, Spec spec) {
        ObjectNode o = object("batch/v1", "CronJob", namespace, name);
        ObjectNode s = o.putObject("spec").put("schedule", "*/5 * * * *");
        ObjectNode template = s.putObject("jobTemplate").putObject("spec").putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name);
        template.set("spec", spec.json());
        return o;
    }

    /** A workload scaled to zero: no pod runs it, but it may be scaled up again at any time. */
    public static ObjectNode scaledToZero(String kind, String namespace, String name, Spec spec) {
        ObjectNode o = workload(kind, namespace, name, spec);
        ((ObjectNode) o.get("spec")).put("replicas", 0);
        return o;
    }

    /**
     * A ControllerRevision of a StatefulSet or DaemonSet: the revision's pod template sits in
     * {@code data.spec.template}, with the strategic-merge {@code $patch: replace} marker the
     * controllers write.
     */
    public static ObjectNode controllerRevision(
            String namespace, String owner, String ownerKind, int revision, Spec spec) {
        ObjectNode o =
                object(
                        "apps/v1",
                        "ControllerRevision",
                        namespace,
                        owner
                                + "-"
                                + Integer.toHexString((owner + revision).hashCode() & 0xfffffff));
        o.withObject("/metadata")
                .withArray("ownerReferences")
                .addObject()
                .put("apiVersion", "apps/v1")
                .put("kind", ownerKind)
                .put("name", owner)
                .put("controller", true);
        ObjectNode template = o.putObject("data").putObject("spec").putObject("template");
        template.put("$patch", "replace");
        template.putObject("metadata").putObject("labels").put("app", owner);
        template.set("spec", spec.json());
        o.put("revision", revision);
        return o;
    }

    /**
     * A PodTemplate: the pod spec sits in {@code template.spec}, next to no {@code spec} at all.
     */
    public static ObjectNode podTemplate(String namespace, String name, Spec spec) {
        ObjectNode o = object("v1", "PodTemplate", namespace, name);
        ObjectNode template = o.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name);
        template.set("spec", spec.json());
        return o;
    }

    /**
     * Any object, e.g. a custom resource, with {@code body} as its fields besides apiVersion, kind
     * and metadata.
     */
    public static ObjectNode custom(
            String apiVersion, String kind, String namespace, String name, ObjectNode body) {
        ObjectNode o = object(apiVersion, kind, namespace, name);
        o.setAll(body);
        return o;
    }

    /** A pod spec as JSON, to place inside a custom resource. */
    public static ObjectNode podSpec(Spec spec) {
        return spec.json();
    }

    /** A sha256 digest derived from {@code seed}, for generated images. */
    public static String digest(String seed) {
        try {
            byte[] d =
                    java.security.MessageDigest.getInstance("SHA-256")
                            .digest(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "sha256:" + java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode object(
            String apiVersion, String kind, String namespace, String name) {
        ObjectNode o = F.objectNode().put("apiVersion", apiVersion).put("kind", kind);
        ObjectNode m = o.putObject("metadata");
        m.put("name", name)
                .put("namespace", namespace)
                .put("uid", UUID.randomUUID().toString())
                .put("resourceVersion", "1")
                .put("creationTimestamp", "2026-11-01T10:00:00Z");
        m.putObject("labels").put("app", name).put("app.kubernetes.io/managed-by", "octopus");
        ArrayNode owners = m.putArray("ownerReferences");
        if (kind.equals("Pod") || kind.equals("ReplicaSet")) {
            owners.addObject()
                    .put("apiVersion", "apps/v1")
                    .put("kind", kind.equals("Pod") ? "ReplicaSet" : "Deployment")
                    .put("name", name.replaceAll("-[^-]+$", ""))
                    .put("controller", true);
        }
        return o;
    }
}
