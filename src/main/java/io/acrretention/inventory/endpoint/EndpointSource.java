package io.acrretention.inventory.endpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.acrretention.inventory.ImageSink;
import io.acrretention.inventory.ImageSource;
import io.acrretention.inventory.InventoryException;
import io.acrretention.inventory.http.BearerHttp;
import io.acrretention.inventory.http.ResponseTooLargeException;
import io.acrretention.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.function.Supplier;

/**
 * An inventory endpoint: {@code GET url} answers the images one cluster uses, as a JSON array of
 * strings or {@code {"images": [...]}}. Read as a stream with the size cap; any other shape fails
 * the cluster.
 */
public final class EndpointSource implements ImageSource {
    private final String cluster;
    private final URI url;
    private final Supplier<BearerHttp> http;

    /**
     * @param http built once per collection (reading the CA file may fail; that fails this cluster
     *     only)
     */
    public EndpointSource(String cluster, URI url, Supplier<BearerHttp> http) {
        this.cluster = cluster;
        this.url = url;
        this.http = http;
    }

    @Override
    public String cluster() {
        return cluster;
    }

    @Override
    public void collect(ImageSink sink) {
        sink.listing("GET " + url);
        BearerHttp client;
        try {
            client = http.get();
        } catch (RuntimeException e) {
            throw failure(e.getMessage(), e);
        }
        try (InputStream body = client.get(url);
                JsonParser p = Json.MAPPER.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_ARRAY) {
                readImages(p, sink);
            } else if (first == JsonToken.START_OBJECT) {
                readObject(p, sink);
            } else {
                throw malformed(
                        "expected a JSON array of images or {\"images\": [...]}, got " + first);
            }
            if (p.nextToken() != null) {
                throw malformed("unexpected data after the images");
            }
        } catch (ResponseTooLargeException e) {
            throw failure(e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw failure("malformed body: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw failure(
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }

    private void readObject(JsonParser p, ImageSink sink) throws IOException {
        boolean sawImages = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("images")) {
                if (value != JsonToken.START_ARRAY) {
                    throw malformed("images is not an array");
                }
                sawImages = true;
                readImages(p, sink);
            } else {
                // Other fields (a cluster name, a timestamp) say nothing about which images are
                // used.
                p.skipChildren();
            }
        }
        if (!sawImages) {
            throw malformed("the object has no images array");
        }
    }

    private void readImages(JsonParser p, ImageSink sink) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.VALUE_STRING) {
            sink.usedOrIgnored(p.getText(), null);
        }
        if (t != JsonToken.END_ARRAY) {
            throw malformed("an image is a " + t + ", not a string");
        }
    }

    private InventoryException malformed(String why) {
        return failure("malformed body: " + why, null);
    }

    private InventoryException failure(String why, Exception cause) {
        return new InventoryException(
                "cluster '" + cluster + "': GET " + url + " failed: " + why, cause);
    }
}
