package io.acrretention.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import io.acrretention.json.Json;
import io.acrretention.service.RunService;
import java.util.Optional;

final class Responses {
    private Responses() {}

    /** {@code 400}: the path does not name a run id. */
    static HttpResponseMessage notARunId(HttpRequestMessage<?> request, String runId) {
        return json(
                request,
                HttpStatus.BAD_REQUEST,
                Json.MAPPER
                        .createObjectNode()
                        .put(
                                "error",
                                "'" + runId + "' is not a run id (e.g. 20261123T000000Z-7f3a)"));
    }

    /**
     * For a run with nothing to show yet: {@code 200} with status {@code rejected} and the reason
     * when its request can never start, {@code 202} while it waits in the queue, else {@code 404}.
     */
    static HttpResponseMessage queuedOrUnknown(
            HttpRequestMessage<?> request, RunService runs, String runId) {
        Optional<String> rejection = runs.rejection(runId);
        if (rejection.isPresent()) {
            return json(
                    request,
                    HttpStatus.OK,
                    Json.MAPPER
                            .createObjectNode()
                            .put("runId", runId)
                            .put("status", "rejected")
                            .put("reason", rejection.get()));
        }
        return runs.isQueued(runId)
                ? json(
                        request,
                        HttpStatus.ACCEPTED,
                        Json.MAPPER.createObjectNode().put("runId", runId).put("status", "queued"))
                : json(
                        request,
                        HttpStatus.NOT_FOUND,
                        Json.MAPPER.createObjectNode().put("error", "no run " + runId));
    }

    static HttpResponseMessage json(
            HttpRequestMessage<?> request, HttpStatus status, JsonNode body) {
        return request.createResponseBuilder(status)
                .header("Content-Type", "application/json")
                .body(body.toString())
                .build();
    }
}
