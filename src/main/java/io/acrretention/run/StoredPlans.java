package io.acrretention.run;

import io.acrretention.retention.Plan;
import io.acrretention.store.DocumentStore;
import java.util.Optional;

/**
 * The plan of one repository in a run ({@link RunDocumentPaths#plan}), written once before anything
 * is applied and never replaced: a re-delivered first message and every continuation apply that
 * same plan. A stored plan is trusted only when it names the message's run, registry and
 * repository, and a continuation's plan must have been made before the continuation was sent;
 * anything else is a permanent error of the message.
 */
final class StoredPlans {
    /** The document: the plan and the run it belongs to. */
    record StoredPlan(int version, String runId, Plan plan) {}

    private static final int VERSION = 1;

    private final DocumentStore store;

    StoredPlans(DocumentStore store) {
        this.store = store;
    }

    /**
     * Stores {@code fresh} unless the repository already has a plan in this run; returns the plan
     * to apply.
     */
    Plan keepFirst(RepositoryMessage message, Plan fresh) {
        String path = path(message);
        if (store.create(path, Documents.toJson(new StoredPlan(VERSION, message.runId(), fresh)))) {
            return fresh;
        }
        // A re-delivered first message: the plan made by the first delivery stays the plan.
        return read(message, path);
    }

    /**
     * The plan an earlier delivery of a first message stored, checked; empty when there is none
     * yet.
     */
    Optional<Plan> find(RepositoryMessage message) {
        String path = path(message);
        return store.get(path).map(b -> check(message, path, b));
    }

    /** The plan a continuation resumes. */
    Plan forContinuation(RepositoryMessage message) {
        String path = path(message);
        Plan plan = read(message, path);
        if (message.issuedAt() == null || plan.plannedAt().isAfter(message.issuedAt())) {
            throw new RepositoryMessage.InvalidMessageException(
                    "the plan "
                            + path
                            + " was made at "
                            + plan.plannedAt()
                            + ", not before the continuation (issued "
                            + message.issuedAt()
                            + "): it is not the plan this continuation resumes, so nothing is applied");
        }
        return plan;
    }

    private Plan read(RepositoryMessage message, String path) {
        return store.get(path)
                .map(b -> check(message, path, b))
                .orElseThrow(
                        () ->
                                new RepositoryMessage.InvalidMessageException(
                                        "the plan "
                                                + path
                                                + " that this message resumes"
                                                + " is missing"));
    }

    private static Plan check(RepositoryMessage message, String path, byte[] json) {
        StoredPlan stored;
        try {
            stored = Documents.fromJson(json, StoredPlan.class, path);
        } catch (java.io.UncheckedIOException e) {
            throw new RepositoryMessage.InvalidMessageException(e.getMessage());
        }
        Plan plan = stored.plan();
        if (stored.version() != VERSION || plan == null || plan.plannedAt() == null) {
            throw new RepositoryMessage.InvalidMessageException(
                    "the plan " + path + " is not a version " + VERSION + " plan with a time");
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
        return RunDocumentPaths.plan(message.runId(), message.registry(), message.repository());
    }
}
