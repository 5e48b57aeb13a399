package io.acrretention.service;

import io.acrretention.run.RepositoryMessage;
import io.acrretention.run.RunRequest;

/**
 * The queues of a run: one message per repository, the runs requested by hand, and where a message
 * of either kind goes at once when it can never be processed.
 */
public record RunQueues(
        MessageQueue repositories,
        MessageQueue repositoriesPoison,
        MessageQueue runs,
        MessageQueue runsPoison) {
    /** The names the Functions host gives the poison queues, so both kinds of poison meet there. */
    public static final String REPOSITORIES_POISON = RepositoryMessage.QUEUE + "-poison";

    public static final String RUNS_POISON = RunRequest.QUEUE + "-poison";
}
