package io.acrretention.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.acrretention.testing.functions.HostStandIn;
import org.junit.jupiter.api.Test;

/**
 * A body no valid request comes near in size is answered 413 before anything reads, queues or
 * stores it.
 */
class RequestBodyLimitIT {
    /** Fails the test if the handler got as far as the run services. */
    static final StartRunHttp HANDLER =
            new StartRunHttp(
                    () -> {
                        throw new AssertionError(
                                "an oversized body must be refused before the run services are touched");
                    });

    static HttpResponseMessage post(String body) {
        return HANDLER.run(
                HostStandIn.request(HttpMethod.POST, "https://app.example.com/api/runs", body),
                HostStandIn.context("StartRunHttp"));
    }

    @Test
    void anOversizedRunRequestIsAnswered413AndNeverParsed() {
        String body =
                "{\"mode\": \"dry-run\", \"repositories\": [\""
                        + "a".repeat(BodyLimit.RUN_REQUEST_BYTES)
                        + "\"]}";

        HttpResponseMessage response = post(body);

        assertEquals(413, response.getStatusCode());
        assertTrue(
                response.getBody()
                        .toString()
                        .contains("at most " + BodyLimit.RUN_REQUEST_BYTES + " bytes"),
                response.getBody().toString());
    }

    @Test
    void theLimitCountsBytesNotCharacters() {
        // Three bytes each in UTF-8: a third of the limit in characters is already over it.
        String body = "\"" + "€".repeat(BodyLimit.RUN_REQUEST_BYTES / 3 + 1) + "\"";

        assertEquals(413, post(body).getStatusCode());
    }
}
