package io.acrretention.functions;

import com.azure.storage.queue.QueueClient;
import io.acrretention.json.Json;
import io.acrretention.log.LogText;
import io.acrretention.run.Documents;
import io.acrretention.run.RepositoryMessage;
import io.acrretention.run.ReportPaths;
import io.acrretention.run.RepositoryProcessor;
import io.acrretention.run.RunCompletion;
import io.acrretention.run.RunLog;
import io.acrretention.run.RunScope;
import io.acrretention.run.RunStarter;
import io.acrretention.run.RunStatusReader;
import io.acrretention.run.RunSummary;
import io.acrretention.run.StartedRun;
import io.acrretention.config.RetentionConfig;
import io.acrretention.store.DocumentStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * What the function classes call: start a run and enqueue its repositories, apply one repository message,
 * read a run's status. The classes themselves only bind and map.
 */
public final class FunctionRuns {
    /** Where manually requested runs wait to be started by {@link StartRunQueue}. */
    public static final String RUNS_QUEUE = "retention-runs";
    public static final String POISON_QUEUE = RepositoryMessage.QUEUE + "-poison";
    /** Stop taking new work this long after an invocation starts; host.json allows 10 minutes. */
    static final Duration TIME_BUDGET = Duration.ofMinutes(8);
    private static final Logger LOG = Logger.getLogger(FunctionRuns.class.getName());

    private final RetentionConfig config;
    private final RunStarter starter;
    private final RepositoryProcessor processor;
    private final RunStatusReader status;
    private final RunCompletion completion;
    private final DocumentStore store;
    private final QueueClient repositories;
    private final QueueClient runs;
    private final QueueClient poison;
    private final Clock clock;

    public FunctionRuns(RetentionConfig config, RunStarter starter, RepositoryProcessor processor,
                        RunStatusReader status, RunCompletion completion, DocumentStore store, QueueClient repositories, QueueClient runs,
                        QueueClient poison, Clock clock) {
        this.config = config;
        this.starter = starter;
        this.processor = processor;
        this.status = status;
        this.completion = completion;
        this.store = store;
        this.repositories = repositories;
        this.runs = runs;
        this.poison = poison;
        this.clock = clock;
    }

    public RetentionConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    /** Starts a run now and enqueues one message per repository. */
    public StartedRun startAndEnqueue(String runId, String trigger, RunScope scope) {
        StartedRun run = starter.start(runId, trigger, scope);
        run.messages().forEach(m -> repositories.sendMessage(m.toJson()));
        return run;
    }

    /** Queues a run for {@link StartRunQueue}, so an HTTP caller gets its run id at once. */
    public void request(String runId, String scopeBody) {
        var request = Json.MAPPER.createObjectNode().put("version", 1).put("runId", runId)
                .put("requestedAt", clock.instant().toString());
        request.set("scope", scopeBody == null || scopeBody.isBlank() ? Json.MAPPER.createObjectNode()
                : readTree(scopeBody));
        store.put(ReportPaths.request(runId), Documents.toJson(request));
        runs.sendMessage(request.toString());
    }

    /**
     * Applies one repository message. A message that can never succeed is recorded and not retried; anything
     * else throws, so the host retries it and, after {@code maxDequeueCount}, moves it to the poison queue.
     */
    public void apply(String text, long dequeueCount, int maxDequeueCount) {
        RepositoryMessage message;
        try {
            message = RepositoryMessage.parse(text);
        } catch (RepositoryMessage.InvalidMessageException e) {
            poison(text, e);
            return;
        }
        Instant deadline = clock.instant().plus(TIME_BUDGET);
        try {
            RepositoryProcessor.Outcome outcome = processor.process(message, deadline);
            outcome.continuation().ifPresent(next -> {
                LOG.info(() -> RunLog.line(next.runId(), next.registry(), next.repository(),
                        "time budget used up; continuation enqueued at " + next.fromIndex()));
                repositories.sendMessage(next.toJson());
            });
            if (outcome.continuation().isEmpty()) {
                // The last repository to finish verifies the run (DESIGN.md: verify after deleting).
                completion.afterRepository(message.runId());
            }
        } catch (RepositoryMessage.InvalidMessageException e) {
            processor.recordFailure(message, e, true);
            poison(text, e);
        } catch (RuntimeException e) {
            processor.recordFailure(message, e, dequeueCount >= maxDequeueCount);
            throw e;
        }
    }

    /**
     * A message that can never be processed goes to the poison queue at once, as the host would put it there
     * after its retries: retrying it would only fail the same way.
     */
    private void poison(String text, RuntimeException why) {
        LOG.severe(() -> LogText.escape("queue message moved to " + poison.getQueueName() + ", nothing deleted: "
                + why.getMessage()));
        poison.sendMessage(text == null ? "" : text);
    }

    public Optional<RunSummary> status(String runId) {
        return status.summarize(runId);
    }

    public boolean isQueued(String runId) {
        return store.get(ReportPaths.request(runId)).isPresent();
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("request body is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
