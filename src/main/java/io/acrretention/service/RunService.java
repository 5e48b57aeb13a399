package io.acrretention.service;

import io.acrretention.config.RetentionConfig;
import io.acrretention.input.BadInputException;
import io.acrretention.input.RunIds;
import io.acrretention.log.Log;
import io.acrretention.log.LogLine;
import io.acrretention.report.RunPages;
import io.acrretention.run.RepositoryMessage;
import io.acrretention.run.RepositoryProcessor;
import io.acrretention.run.RunDocuments;
import io.acrretention.run.RunRequest;
import io.acrretention.run.RunSelection;
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
 * The function app's runs, behind its handlers: start a run (on schedule or as requested) and
 * enqueue its repositories, apply one repository message, notice a run's end, read a run's status
 * and page. The handlers only bind, call one method here and map its answer.
 */
public final class RunService {
    /** Stop taking new work this long after an invocation starts; host.json allows 10 minutes. */
    public static final Duration TIME_BUDGET = Duration.ofMinutes(8);

    private static final Log LOG = Log.of(RunService.class);

    private final RetentionConfig config;
    private final RunStarter starter;
    private final RepositoryProcessor processor;
    private final RunStatusReader status;
    private final RunDocuments documents;
    private final RunQueues queues;
    private final Clock clock;
    private final RunPages pages;
    private final RunTelemetry telemetry;
    private final RunCompletion completion;

    public RunService(
            RetentionConfig config,
            RunStarter starter,
            RepositoryProcessor processor,
            RunStatusReader status,
            RunDocuments documents,
            RunQueues queues,
            Clock clock,
            RunPages pages,
            RunTelemetry telemetry,
            RunCompletion completion) {
        this.config = config;
        this.starter = starter;
        this.processor = processor;
        this.status = status;
        this.documents = documents;
        this.queues = queues;
        this.clock = clock;
        this.pages = pages;
        this.telemetry = telemetry;
        this.completion = completion;
    }

    /** The scheduled run: everything the configuration selects. */
    public StartedRun startScheduled() {
        return startAndEnqueue(RunIds.next(clock.instant()), "timer", RunSelection.EVERYTHING);
    }

    /**
     * Starts a run that {@link #request} queued. A request that can never start a run goes to the
     * poison queue at once with the reason logged, and nothing starts (empty).
     */
    public Optional<StartedRun> startRequested(String message) {
        RunRequest request;
        try {
            request = RunRequest.parse(message, config);
        } catch (RunRequest.InvalidRunRequestException e) {
            // Its caller polls the run's status: "queued" for ever would be a lie.
            e.runId()
                    .filter(documents::isRequested)
                    .ifPresent(runId -> documents.saveRejection(runId, e.getMessage()));
            poison(queues.runsPoison(), message, e, "nothing started");
            return Optional.empty();
        }
        return Optional.of(startAndEnqueue(request.runId(), "http", request.selection()));
    }

    /** Starts a run now and enqueues one message per repository. */
    public StartedRun startAndEnqueue(String runId, String trigger, RunSelection scope) {
        StartedRun run;
        try {
            run = starter.start(runId, trigger, scope);
        } catch (RuntimeException e) {
            telemetry.failed(runId, "", "start failed: " + e.getMessage());
            throw e;
        }
        completion.started(run.record());
        run.messages().forEach(m -> queues.repositories().send(m.toJson()));
        if (run.messages().isEmpty()) {
            completion.afterRepository(runId);
        }
        return run;
    }

    /**
     * Queues a run for {@link #startRequested}, so an HTTP caller gets its run id at once.
     *
     * @param body the requested {@link RunSelection}; empty for everything configured
     * @return the new run's id
     * @throws BadInputException when the body does not select a run of this configuration
     */
    public String request(String body) {
        Instant now = clock.instant();
        RunRequest request =
                new RunRequest(RunIds.next(now), now, RunSelection.parse(body, config));
        documents.saveRequest(request.runId(), request.toNode());
        queues.runs().send(request.toJson());
        return request.runId();
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
            poison(queues.repositoriesPoison(), text, e, "nothing deleted");
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
                                queues.repositories().send(next.toJson());
                            });
            if (outcome.continuation().isEmpty()) {
                completion.afterRepository(message.runId());
            }
        } catch (RepositoryMessage.InvalidMessageException e) {
            processor.recordFailure(message, e, true);
            poison(queues.repositoriesPoison(), text, e, "nothing deleted");
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
    private static void poison(
            MessageQueue poison, String text, RuntimeException why, String consequence) {
        LOG.error(
                () ->
                        "queue message moved to "
                                + poison.name()
                                + ", "
                                + consequence
                                + ": "
                                + why.getMessage());
        poison.send(text == null ? "" : text);
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

    /** Why a requested run will never start; empty for any other run. */
    public Optional<String> rejection(String runId) {
        return documents.rejection(runId);
    }
}
