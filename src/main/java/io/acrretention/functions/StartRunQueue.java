package io.acrretention.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.acrretention.json.Json;
import io.acrretention.run.RunIds;
import io.acrretention.run.RunScope;
import io.acrretention.run.StartedRun;
import java.util.function.Supplier;

/**
 * Starts a run that {@link StartRunHttp} queued: collects, writes, checks and enqueues its
 * repositories.
 */
public final class StartRunQueue {
    private final Supplier<FunctionRuns> runs;

    public StartRunQueue() {
        this(AppServices::shared);
    }

    StartRunQueue(Supplier<FunctionRuns> runs) {
        this.runs = runs;
    }

    @FunctionName("StartRunQueue")
    public void run(
            @QueueTrigger(
                            name = "message",
                            queueName = FunctionRuns.RUNS_QUEUE,
                            connection = "AzureWebJobsStorage")
                    String message,
            ExecutionContext context)
            throws Exception {
        FunctionRuns r = runs.get();
        JsonNode request = Json.MAPPER.readTree(message);
        String runId = request.path("runId").asText();
        if (request.path("version").asInt() != 1 || !RunIds.isValid(runId)) {
            // Only StartRunHttp writes this queue; anything else there is not ours to act on.
            throw new IllegalArgumentException("not a run request: " + message);
        }
        RunScope scope = RunScope.parse(request.path("scope").toString(), r.config());
        StartedRun run = r.startAndEnqueue(runId, "http", scope);
        context.getLogger()
                .info(
                        "runId="
                                + runId
                                + " started by HTTP request: "
                                + run.messages().size()
                                + " repositories enqueued, mode "
                                + run.record().mode().json());
    }
}
