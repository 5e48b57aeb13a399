package io.acrretention.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.acrretention.input.BadInputException;
import io.acrretention.json.Json;
import io.acrretention.log.LogText;
import io.acrretention.service.RunService;
import io.acrretention.wiring.FunctionApp;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code POST /api/runs}: starts a run by hand. Answers {@code 202} with the run id and its status
 * URL at once; {@link StartRunQueue} collects the inventory, which can take longer than an HTTP
 * request may.
 */
public final class StartRunHttp {
    private final Supplier<RunService> runs;

    public StartRunHttp() {
        this(FunctionApp::shared);
    }

    StartRunHttp(Supplier<RunService> runs) {
        this.runs = runs;
    }

    @FunctionName("StartRunHttp")
    public HttpResponseMessage run(
            @HttpTrigger(
                            name = "request",
                            methods = {HttpMethod.POST},
                            authLevel = AuthorizationLevel.FUNCTION,
                            route = "runs")
                    HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        Optional<HttpResponseMessage> tooLarge =
                BodyLimit.check(request, BodyLimit.RUN_REQUEST_BYTES);
        if (tooLarge.isPresent()) {
            context.getLogger()
                    .warning(
                            "run request rejected: body larger than "
                                    + BodyLimit.RUN_REQUEST_BYTES
                                    + " bytes");
            return tooLarge.get();
        }
        String runId;
        try {
            runId = runs.get().request(request.getBody().orElse(""));
        } catch (BadInputException e) {
            context.getLogger().warning(LogText.escape("run request rejected: " + e.getMessage()));
            return Responses.json(
                    request,
                    HttpStatus.BAD_REQUEST,
                    Json.MAPPER.createObjectNode().put("error", e.getMessage()));
        }
        String statusUrl = request.getUri().toString().replaceAll("/?(\\?.*)?$", "") + "/" + runId;
        context.getLogger().info("runId=" + runId + " requested over HTTP");
        return request.createResponseBuilder(HttpStatus.ACCEPTED)
                .header("Content-Type", "application/json")
                .header("Location", statusUrl)
                .body(
                        Json.MAPPER
                                .createObjectNode()
                                .put("runId", runId)
                                .put("statusUrl", statusUrl)
                                .toString())
                .build();
    }
}
