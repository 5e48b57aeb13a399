package io.acrretention.inventory.kubernetes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Set;

/**
 * Finds every container list ({@code containers}, {@code initContainers}, {@code
 * ephemeralContainers}, and Argo Workflows' {@code sidecars}) anywhere inside one object, read as a
 * stream: for objects whose pod templates sit where no schema tells us (custom resources,
 * ControllerRevisions of any owner). Argo Workflows also name an image in a single {@code
 * container} or {@code script} object; those count when they hold an {@code image}. Only one
 * container at a time is held in memory.
 */
final class ContainerLists {
    private static final Set<String> LISTS =
            Set.of("containers", "initContainers", "ephemeralContainers", "sidecars");
    private static final Set<String> SINGLE = Set.of("container", "script");

    private ContainerLists() {}

    /**
     * Reads the object whose {@code START_OBJECT} is the parser's current token, up to and
     * including its {@code END_OBJECT}, and records the image of every container found.
     */
    static void walk(JsonParser p, PodImages images) throws IOException {
        walkObject(p, images);
    }

    private static void walkObject(JsonParser p, PodImages images) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_ARRAY && LISTS.contains(field)) {
                containers(p, images);
            } else if (value == JsonToken.START_OBJECT && SINGLE.contains(field)) {
                JsonNode container = p.readValueAsTree();
                if (container.path("image").isTextual()) {
                    images.container(container);
                }
            } else {
                walkValue(p, value, images);
            }
        }
    }

    private static void walkValue(JsonParser p, JsonToken value, PodImages images)
            throws IOException {
        if (value == JsonToken.START_OBJECT) {
            walkObject(p, images);
        } else if (value == JsonToken.START_ARRAY) {
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new ListPage.MalformedListException("the body ends inside an array");
                }
                walkValue(p, t, images);
            }
        }
    }

    private static void containers(JsonParser p, PodImages images) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.START_OBJECT) {
                // A container (core/v1 Container) holds no further pod templates: read it whole, it
                // is small.
                JsonNode container = p.readValueAsTree();
                images.container(container);
            } else if (t == JsonToken.START_ARRAY) {
                walkValue(p, t, images);
            } else if (t == null) {
                throw new ListPage.MalformedListException("the body ends inside a container list");
            }
        }
    }
}
