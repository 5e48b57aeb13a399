package io.acrretention.inventory.kubernetes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.acrretention.json.Json;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one page of a Kubernetes list ({@code
 * {"kind":"PodList","metadata":{"continue":...},"items":[...]}}) as a stream: one item at a time is
 * in memory, however long the page is.
 */
final class ListPage {
    private ListPage() {}

    /**
     * Reads one item: called at its {@code START_OBJECT}, it consumes the item up to its {@code
     * END_OBJECT}.
     */
    interface ItemReader {
        void read(JsonParser p) throws IOException;
    }

    /**
     * Hands every item to {@code items} in order and returns the page's continue token, or null on
     * the last page. A body that is not a whole list (cut short, no {@code items}, trailing data)
     * is a {@link MalformedListException}.
     */
    static String read(InputStream in, ItemReader items) throws IOException {
        try (JsonParser p = Json.MAPPER.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedListException("the body is not a JSON object");
            }
            String continueToken = null;
            boolean sawItems = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("items")) {
                    sawItems = true;
                    readItems(p, value, items);
                } else if (field.equals("metadata")) {
                    JsonNode metadata = p.readValueAsTree();
                    JsonNode token = metadata == null ? null : metadata.get("continue");
                    continueToken = token == null || token.isNull() ? null : token.asText();
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new MalformedListException("unexpected data after the list");
            }
            if (!sawItems) {
                throw new MalformedListException("the list has no items field");
            }
            return continueToken == null || continueToken.isEmpty() ? null : continueToken;
        }
    }

    private static void readItems(JsonParser p, JsonToken value, ItemReader items)
            throws IOException {
        // An empty list may come as null.
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        if (value != JsonToken.START_ARRAY) {
            throw new MalformedListException("items is not an array");
        }
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            items.read(p);
        }
        if (t != JsonToken.END_ARRAY) {
            throw new MalformedListException("items holds a " + t + " instead of an object");
        }
    }

    /**
     * An item with only what the inventory reads: {@code metadata.name}, {@code
     * metadata.namespace}, {@code spec}, {@code status} and {@code template} (a PodTemplate's).
     * Labels, annotations and managed fields are skipped unparsed.
     */
    static ObjectNode readItem(JsonParser p) throws IOException {
        ObjectNode item = Json.MAPPER.createObjectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if ((field.equals("spec") || field.equals("status") || field.equals("template"))
                    && value == JsonToken.START_OBJECT) {
                item.set(field, p.readValueAsTree());
            } else if (field.equals("metadata") && value == JsonToken.START_OBJECT) {
                item.set(field, readNames(p));
            } else {
                p.skipChildren();
            }
        }
        return item;
    }

    private static ObjectNode readNames(JsonParser p) throws IOException {
        ObjectNode metadata = Json.MAPPER.createObjectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if ((field.equals("name") || field.equals("namespace"))
                    && value == JsonToken.VALUE_STRING) {
                metadata.put(field, p.getText());
            } else {
                p.skipChildren();
            }
        }
        return metadata;
    }

    /** The body was read but is not a Kubernetes list. */
    static final class MalformedListException extends IOException {
        MalformedListException(String message) {
            super(message);
        }
    }
}
