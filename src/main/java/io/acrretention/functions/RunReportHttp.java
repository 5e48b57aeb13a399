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
import io.acrretention.report.RunPages;
import io.acrretention.service.RunService;
import io.acrretention.wiring.FunctionApp;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /api/runs/{runId}/report}: the run page, written afresh from the run's documents on
 * every call (so a running run shows its progress) and stored as {@code
 * reports/{runId}/index.html}.
 */
public final class RunReportHttp {
    private final Supplier<RunService> runs;

    public RunReportHttp() {
        this(FunctionApp::shared);
    }

    RunReportHttp(Supplier<RunService> runs) {
        this.runs = runs;
    }

    @FunctionName("RunReportHttp")
    public HttpResponseMessage run(
            @HttpTrigger(
                            name = "request",
                            methods = {HttpMethod.GET},
                            authLevel = AuthorizationLevel.FUNCTION,
                            route = "runs/{runId}/report")
                    HttpRequestMessage<Optional<String>> request,
            @BindingName("runId") String runId,
            ExecutionContext context) {
        if (!RunIds.isValid(runId)) {
            return Responses.notARunId(request, runId);
        }
        RunService r = runs.get();
        return r.page(runId)
                .map(
                        html ->
                                request.createResponseBuilder(HttpStatus.OK)
                                        .header("Content-Type", "text/html; charset=utf-8")
                                        .header(
                                                "Content-Security-Policy",
                                                RunPages.CONTENT_SECURITY_POLICY)
                                        .header("X-Content-Type-Options", "nosniff")
                                        .header("Cache-Control", "no-store")
                                        .body(html)
                                        .build())
                .orElseGet(() -> Responses.queuedOrUnknown(request, r, runId));
    }
}
