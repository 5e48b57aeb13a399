package io.acrretention.functions;

import com.azure.storage.queue.QueueClient;
import io.acrretention.config.RetentionConfig;
import io.acrretention.json.Json;
import io.acrretention.log.Log;
import io.acrretention.log.LogLine;
import io.acrretention.report.RunPages;
import io.acrretention.run.RepositoryMessage;
import io.acrretention.run.RepositoryProcessor;
import io.acrretention.run.RunDocuments;
import io.acrretention.run.RunScope;
import io.acrretention.run.RunStarter;
import io.acrretention.run.RunStatusReader;
import io.acrretention.run.RunSummary;
import io.acrretention.run.StartedRun;
import io.acrretention.telemetry.RunTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the function classes call: start a run and enqueue its repositories, apply one repository
 * message, read a run's status. The classes themselves only bind and map.
 */
public final class FunctionRuns {
    /** Where manually requested runs wait to be started by {@link StartRunQueue}. */
    public static final String RUNS_QUEUE = "retention-runs";

    public static final String POISON_QUEUE = RepositoryMessage.QUEUE + "-poison";

    /** Stop taking new work this long after an invocation starts; host.json allows 10 minutes. */
    static final Duration TIME_BUDGET = Duration.ofMinutes(8);

    private static final Log LOG = Log.of(FunctionRuns.class);

    private final RetentionConfig config;
    private final RunStarter starter;
    private final RepositoryProcessor processor;
    private final RunStatusReader status;
    private final RunDocuments documents;
    private final QueueClient repositories;
    private final QueueClient runs;
    private final QueueClient poison;
    private final Clock clock;
    private final RunPages pages;
    private final RunTelemetry telemetry;
    private final RunCompletion completion;

    public FunctionRuns(
            RetentionConfig config,
            RunStarter starter,
            RepositoryProcessor processor,
            RunStatusReader status,
            RunDocuments documents,
            QueueClient repositories,
            QueueClient runs,
            QueueClient poison,
            Clock clock,
            RunPages pages,
            RunTelemetry telemetry,
            RunCompletion completion) {
        this.config = config;
        this.starter = starter;
        this.processor = processor;
        this.status = status;
        this.documents = documents;
        this.repositories = repositories;
        this.runs = runs;
        this.poison = poison;
        this.clock = clock;
        this.pages = pages;
        this.telemetry = telemetry;
        this.completion = completion;
    }

    public RetentionConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    /** Starts a run now and enqueues one message per repository. */
    public StartedRun startAndEnqueue(String runId, String trigger, RunScope scope) {
        StartedRun run;
        try {
            run = starter.start(runId, trigger, scope);
        } catch (RuntimeException e) {
            telemetry.failed(runId, "", "start failed: " + e.getMessage());
            throw e;
        }
        completion.started(run.record());
        run.messages().forEach(m -> repositories.sendMessage(m.toJson()));
        if (run.messages().isEmpty()) {
            completion.afterRepository(runId);
        }
        return run;
    }

    /** Queues a run for {@link StartRunQueue}, so an HTTP caller gets its run id at once. */
    public void request(String runId, String scopeBody) {
        var request =
                Json.MAPPER
                        .createObjectNode()
                        .put("version", 1)
                        .put("runId", runId)
                        .put("requestedAt", clock.instant().toString());
        request.set(
                "scope",
                scopeBody == null || scopeBody.isBlank()
                        ? Json.MAPPER.createObjectNode()
                        : readTree(scopeBody));
        documents.saveRequest(runId, request);
        runs.sendMessage(request.toString());
    }

    /**
     * Applies one repository message. A message that can never succeed is recorded and not retried;
     * anything else throws, so the host retries it and, after {@code maxDequeueCount}, moves it to
     * the poison queue.
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
            outcome.continuation()
                    .ifPresent(
                            next -> {
                                LOG.info(
                                        () ->
                                                LogLine.of(
                                                        next.runId(),
                                                        next.registry(),
                                                        next.repository(),
                                                        "time budget used up; continuation enqueued at "
                                                                + next.fromIndex()));
                                repositories.sendMessage(next.toJson());
                            });
            if (outcome.continuation().isEmpty()) {
                completion.afterRepository(message.runId());
            }
        } catch (RepositoryMessage.InvalidMessageException e) {
            processor.recordFailure(message, e, true);
            poison(text, e);
            completion.afterRepository(message.runId());
        } catch (RuntimeException e) {
            processor.recordFailure(message, e, dequeueCount >= maxDequeueCount);
            if (dequeueCount >= maxDequeueCount) {
                completion.afterRepository(message.runId());
            }
            throw e;
        }
    }

    /**
     * A message that can never be processed goes to the poison queue at once, as the host would put
     * it there after its retries: retrying it would only fail the same way.
     */
    private void poison(String text, RuntimeException why) {
        LOG.error(
                () ->
                        "queue message moved to "
                                + poison.getQueueName()
                                + ", nothing deleted: "
                                + why.getMessage());
        poison.sendMessage(text == null ? "" : text);
    }

    public Optional<RunSummary> status(String runId) {
        return status.summarize(runId);
    }

    /**
     * Writes the run's page from its documents as they are now, and returns it; empty when no such
     * run.
     */
    public Optional<String> page(String runId) {
        return pages.write(runId);
    }

    public boolean isQueued(String runId) {
        return documents.isRequested(runId);
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "request body is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
