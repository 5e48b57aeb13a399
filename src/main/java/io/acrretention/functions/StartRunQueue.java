package io.acrretention.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.acrretention.run.RunRequest;
import io.acrretention.service.RunService;
import io.acrretention.wiring.FunctionApp;
import java.util.function.Supplier;

/**
 * Starts a run that {@link StartRunHttp} queued: collects, writes, checks and enqueues its
 * repositories. A request that can never start a run goes to the poison queue at once.
 */
public final class StartRunQueue {
    private final Supplier<RunService> runs;

    public StartRunQueue() {
        this(FunctionApp::shared);
    }

    StartRunQueue(Supplier<RunService> runs) {
        this.runs = runs;
    }

    @FunctionName("StartRunQueue")
    public void run(
            @QueueTrigger(
                            name = "message",
                            queueName = RunRequest.QUEUE,
                            connection = "AzureWebJobsStorage")
                    String message,
            ExecutionContext context) {
        runs.get()
                .startRequested(message)
                .ifPresent(
                        run ->
                                context.getLogger()
                                        .info(
                                                "runId="
                                                        + run.record().runId()
                                                        + " started by HTTP request: "
                                                        + run.messages().size()
                                                        + " repositories enqueued, mode "
                                                        + run.record().mode().json()));
    }
}
