package io.acrretention.run;

import io.acrretention.retention.Plan;
import io.acrretention.run.RunDocuments.StoredPlan;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The plan of one repository in a run (in {@link RunDocuments}), written once before anything is
 * applied and never replaced: a re-delivered first message and every continuation apply that same
 * plan. A stored plan is trusted only when it names the message's run, registry and repository, and
 * a continuation's plan must have been made before the continuation was sent; anything else is a
 * permanent error of the message.
 */
final class StoredPlans {
    private final RunDocuments documents;

    StoredPlans(RunDocuments documents) {
        this.documents = documents;
    }

    /**
     * Stores {@code fresh} unless the repository already has a plan in this run; returns the plan
     * to apply.
     */
    Plan keepFirst(RepositoryMessage message, Plan fresh) {
        if (documents.savePlanOnce(
                message.runId(), message.registry(), message.repository(), fresh)) {
            return fresh;
        }
        // A re-delivered first message: the plan made by the first delivery stays the plan.
        return read(message);
    }

    /**
     * The plan an earlier delivery of a first message stored, checked; empty when there is none
     * yet.
     */
    Optional<Plan> find(RepositoryMessage message) {
        return stored(message).map(p -> check(message, p));
    }

    /** The plan a continuation resumes. */
    Plan forContinuation(RepositoryMessage message) {
        Plan plan = read(message);
        if (message.issuedAt() == null || plan.plannedAt().isAfter(message.issuedAt())) {
            throw new RepositoryMessage.InvalidMessageException(
                    "the plan "
                            + path(message)
                            + " was made at "
                            + plan.plannedAt()
                            + ", not before the continuation (issued "
                            + message.issuedAt()
                            + "): it is not the plan this continuation resumes, so nothing is applied");
        }
        return plan;
    }

    private Plan read(RepositoryMessage message) {
        return find(message)
                .orElseThrow(
                        () ->
                                new RepositoryMessage.InvalidMessageException(
                                        "the plan "
                                                + path(message)
                                                + " that this message resumes"
                                                + " is missing"));
    }

    /** A stored plan that is not even JSON of a plan is a permanent error of the message too. */
    private Optional<StoredPlan> stored(RepositoryMessage message) {
        try {
            return documents.plan(message.runId(), message.registry(), message.repository());
        } catch (UncheckedIOException e) {
            throw new RepositoryMessage.InvalidMessageException(e.getMessage());
        }
    }

    private static Plan check(RepositoryMessage message, StoredPlan stored) {
        String path = path(message);
        Plan plan = stored.plan();
        if (stored.version() != StoredPlan.VERSION || plan == null || plan.plannedAt() == null) {
            throw new RepositoryMessage.InvalidMessageException(
                    "the plan "
                            + path
                            + " is not a version "
                            + StoredPlan.VERSION
                            + " plan with a time");
        }
        if (!message.runId().equals(stored.runId())
                || !message.registry().equals(plan.registry())
                || !message.repository().equals(plan.repository())) {
            throw new RepositoryMessage.InvalidMessageException(
                    "the plan "
                            + path
                            + " names run "
                            + stored.runId()
                            + ", "
                            + plan.registry()
                            + "/"
                            + plan.repository()
                            + ", not the message's run "
                            + message.runId()
                            + ", "
                            + message.registry()
                            + "/"
                            + message.repository()
                            + ": nothing is applied");
        }
        return plan;
    }

    private static String path(RepositoryMessage message) {
        return RunDocuments.planPath(message.runId(), message.registry(), message.repository());
    }
}
