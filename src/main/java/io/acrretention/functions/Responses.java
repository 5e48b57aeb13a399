package io.acrretention.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;

final class Responses {
    private Responses() {}

    static HttpResponseMessage json(
            HttpRequestMessage<?> request, HttpStatus status, JsonNode body) {
        return request.createResponseBuilder(status)
                .header("Content-Type", "application/json")
                .body(body.toString())
                .build();
    }
}
