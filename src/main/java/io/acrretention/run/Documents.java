package io.acrretention.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.acrretention.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON for the run's documents (run record, reports, plans, summaries), pretty enough to read in a
 * browser.
 */
public final class Documents {
    private Documents() {}

    public static byte[] toJson(Object document) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot write " + document.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static <T> T fromJson(byte[] json, Class<T> type, String path) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read " + path + " as " + type.getSimpleName() + ": " + e.getMessage(),
                    e);
        }
    }
}
