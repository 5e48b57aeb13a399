package io.acrretention.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.acrretention.run.RepositoryMessage;
import io.acrretention.service.RunService;
import io.acrretention.wiring.FunctionApp;
import java.util.function.Supplier;

/** Applies retention to the one repository a message names (docs/architecture.md). */
public final class ApplyRetentionQueue {
    /** Must equal {@code extensions.queues.maxDequeueCount} in host.json. */
    static final int MAX_DEQUEUE_COUNT = 3;

    private final Supplier<RunService> runs;

    public ApplyRetentionQueue() {
        this(FunctionApp::shared);
    }

    ApplyRetentionQueue(Supplier<RunService> runs) {
        this.runs = runs;
    }

    @FunctionName("ApplyRetentionQueue")
    public void run(
            @QueueTrigger(
                            name = "message",
                            queueName = RepositoryMessage.QUEUE,
                            connection = "AzureWebJobsStorage")
                    String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        runs.get().apply(message, dequeueCount, MAX_DEQUEUE_COUNT);
    }
}
