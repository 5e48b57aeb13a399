package io.acrretention.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.acrretention.json.Json;
import io.acrretention.quarantine.RestoreReport;
import io.acrretention.quarantine.RestoreRequest;
import io.acrretention.quarantine.Restorer;
import io.acrretention.wiring.FunctionApp;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code POST /api/restore} (function key): puts back the tags quarantine removed, by run or by
 * digest, and answers the restore report. Dry run unless the body says {@code "mode": "apply"}. A
 * body over {@link RestoreRequest#MAX_BODY_BYTES} or one that does not validate is refused with
 * every problem named.
 */
public final class RestoreHttp {
    private final Supplier<Restorer> restorer;

    public RestoreHttp() {
        this(FunctionApp::restorer);
    }

    RestoreHttp(Supplier<Restorer> restorer) {
        this.restorer = restorer;
    }

    @FunctionName("RestoreHttp")
    public HttpResponseMessage run(
            @HttpTrigger(
                            name = "request",
                            methods = {HttpMethod.POST},
                            authLevel = AuthorizationLevel.FUNCTION,
                            route = "restore")
                    HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        Optional<HttpResponseMessage> tooLarge =
                BodyLimit.check(request, RestoreRequest.MAX_BODY_BYTES);
        if (tooLarge.isPresent()) {
            context.getLogger()
                    .warning(
                            "restore request rejected: body larger than "
                                    + RestoreRequest.MAX_BODY_BYTES
                                    + " bytes");
            return tooLarge.get();
        }
        String body = request.getBody().orElse("");
        RestoreRequest parsed;
        try {
            parsed = RestoreRequest.parse(body);
        } catch (RestoreRequest.InvalidRestoreException e) {
            context.getLogger().warning("restore request rejected: " + e.getMessage());
            return Responses.json(
                    request,
                    HttpStatus.BAD_REQUEST,
                    Json.MAPPER.createObjectNode().put("error", e.getMessage()));
        }
        RestoreReport report = restorer.get().restore(parsed);
        context.getLogger()
                .info(
                        "restore "
                                + report.restoreId()
                                + (report.apply() ? "" : " (dry run)")
                                + ": "
                                + report.totals());
        return Responses.json(
                request,
                report.totals().failed() > 0 ? HttpStatus.MULTI_STATUS : HttpStatus.OK,
                Json.MAPPER.valueToTree(report));
    }
}
