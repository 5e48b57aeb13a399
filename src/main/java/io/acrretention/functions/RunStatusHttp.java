package io.acrretention.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.acrretention.input.RunIds;
import io.acrretention.json.Json;
import io.acrretention.service.RunService;
import io.acrretention.wiring.FunctionApp;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code GET /api/runs/{runId}}: the run's summary, aggregated from its reports. */
public final class RunStatusHttp {
    private final Supplier<RunService> runs;

    public RunStatusHttp() {
        this(FunctionApp::shared);
    }

    RunStatusHttp(Supplier<RunService> runs) {
        this.runs = runs;
    }

    @FunctionName("RunStatusHttp")
    public HttpResponseMessage run(
            @HttpTrigger(
                            name = "request",
                            methods = {HttpMethod.GET},
                            authLevel = AuthorizationLevel.FUNCTION,
                            route = "runs/{runId}")
                    HttpRequestMessage<Optional<String>> request,
            @BindingName("runId") String runId,
            ExecutionContext context) {
        if (!RunIds.isValid(runId)) {
            return Responses.notARunId(request, runId);
        }
        RunService r = runs.get();
        return r.status(runId)
                .map(s -> Responses.json(request, HttpStatus.OK, Json.MAPPER.valueToTree(s)))
                .orElseGet(() -> Responses.queuedOrUnknown(request, r, runId));
    }
}
