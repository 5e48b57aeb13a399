package io.acrretention.run;

import io.acrretention.usage.UsedImages;
import java.util.List;

/**
 * A run that has collected its inventory and knows its repositories: one message each, to be
 * enqueued.
 */
public record StartedRun(RunRecord record, UsedImages inventory, List<RepositoryMessage> messages) {
    public StartedRun {
        messages = List.copyOf(messages);
    }
}
