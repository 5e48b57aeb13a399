package io.acrretention.run;

import io.acrretention.cleanup.Report;
import io.acrretention.retention.Plan;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a delivery of a repository message starts. A message may arrive more than once, and a
 * repository too large for one invocation continues in new messages: what the report already holds
 * is never applied or appended again, and every delivery applies the one plan stored for the
 * repository in the run.
 */
final class Resumption {
    private final RunDocuments documents;
    private final StoredPlans plans;

    Resumption(RunDocuments documents) {
        this.documents = documents;
        this.plans = new StoredPlans(documents);
    }

    /**
     * @param resumed the plan a continuation resumes (empty for a first message)
     * @param earlier the report so far (empty before anything was applied)
     * @param at the position in the plan to apply from
     */
    record Start(Optional<Plan> resumed, Optional<Report> earlier, int at) {
        /** A re-delivered message of a repository that is done changes nothing. */
        boolean finished() {
            return earlier.isPresent() && earlier.get().complete();
        }
    }

    Start start(RepositoryMessage message) {
        // A continuation resumes only the plan of its own run and repository, made before it was
        // sent.
        Optional<Plan> resumed =
                message.fromIndex() > 0
                        ? Optional.of(plans.forContinuation(message))
                        : Optional.empty();
        Optional<Report> earlier =
                documents.report(message.runId(), message.registry(), message.repository());
        earlier.ifPresent(r -> checkBelongs(r, message));
        return new Start(resumed, earlier, earlier.map(Report::nextIndex).orElse(0));
    }

    /**
     * The plan to apply from {@code start}: the one a continuation resumes, the one a first
     * delivery stored, or {@code fresh} (listed and planned now) stored as the repository's plan.
     */
    Plan plan(RepositoryMessage message, Start start, Supplier<Plan> fresh) {
        if (message.fromIndex() > start.at()) {
            throw new RepositoryMessage.InvalidMessageException(
                    "continuation at "
                            + message.fromIndex()
                            + " but "
                            + reportPath(message)
                            + (start.earlier().isEmpty()
                                    ? " does not exist"
                                    : " reaches only " + start.at())
                            + ": the decisions in between would never be applied");
        }
        Plan plan;
        if (start.resumed().isPresent()) {
            // Listing again mid-way would shift positions; the cleaner re-reads each manifest
            // before a write, so the stored plan stays safe.
            plan = start.resumed().get();
        } else {
            // A re-delivered first message finds the plan of its first delivery and lists nothing.
            Optional<Plan> stored = plans.find(message);
            if (stored.isEmpty() && start.earlier().isPresent()) {
                throw new RepositoryMessage.InvalidMessageException(
                        reportPath(message)
                                + " exists but the plan it was made"
                                + " from does not");
            }
            plan = stored.orElseGet(() -> plans.keepFirst(message, fresh.get()));
        }
        if (start.at() > plan.decisions().size()) {
            throw new RepositoryMessage.InvalidMessageException(
                    reportPath(message)
                            + " reaches "
                            + start.at()
                            + ", beyond the "
                            + plan.decisions().size()
                            + " decisions of its plan");
        }
        return plan;
    }

    private static void checkBelongs(Report report, RepositoryMessage message) {
        if (!message.runId().equals(report.runId())
                || !message.registry().equals(report.registry())
                || !message.repository().equals(report.repository())) {
            throw new RepositoryMessage.InvalidMessageException(
                    reportPath(message)
                            + " names run "
                            + report.runId()
                            + ", "
                            + report.registry()
                            + "/"
                            + report.repository()
                            + ", not the message's");
        }
    }

    private static String reportPath(RepositoryMessage message) {
        return RunDocuments.reportPath(message.runId(), message.registry(), message.repository());
    }
}
