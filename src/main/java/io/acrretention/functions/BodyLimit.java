package io.acrretention.functions;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import io.acrretention.json.Json;
import java.util.Map;
import java.util.Optional;

/**
 * A cap on an HTTP function's request body, checked before anything reads it: a body that no valid
 * request comes near in size is answered {@code 413} and never parsed, queued or stored. Any
 * handler that takes a body calls {@link #check} first.
 */
final class BodyLimit {
    /** Far above any valid run request (a mode and a few repository globs). */
    static final int RUN_REQUEST_BYTES = 16 * 1024;

    private BodyLimit() {}

    /**
     * A 413 answer when the declared or actual body is larger than {@code maxBytes}; empty when it
     * fits.
     */
    static Optional<HttpResponseMessage> check(
            HttpRequestMessage<Optional<String>> request, int maxBytes) {
        long declared = declaredLength(request.getHeaders());
        long actual = utf8Length(request.getBody().orElse(""), maxBytes);
        if (declared <= maxBytes && actual <= maxBytes) {
            return Optional.empty();
        }
        return Optional.of(
                Responses.json(
                        request,
                        HttpStatus.PAYLOAD_TOO_LARGE,
                        Json.MAPPER
                                .createObjectNode()
                                .put(
                                        "error",
                                        "request body too large: at most " + maxBytes + " bytes")));
    }

    private static long declaredLength(Map<String, String> headers) {
        if (headers == null) {
            return 0;
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if ("content-length".equalsIgnoreCase(h.getKey())) {
                try {
                    return Long.parseLong(h.getValue().strip());
                } catch (NumberFormatException e) {
                    return Long.MAX_VALUE; // a length that is not a number is not a request to read
                }
            }
        }
        return 0;
    }

    /** The body's size in UTF-8, counted only as far as just past the limit. */
    private static long utf8Length(String body, int maxBytes) {
        long bytes = 0;
        for (int i = 0; i < body.length() && bytes <= maxBytes; i++) {
            char c = body.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }
}
