package io.acrretention.registry;

import java.time.Instant;

/**
 * The port to the registries' pull logs ({@code keepPulledWithin}): the last pull of each image of
 * one registry within a window. Adapters read the whole window or fail with {@link
 * PullLogException}; never a partial answer.
 */
public interface PullLogs {
    /** For configurations that keep nothing by pulls: asking is a wiring error. */
    PullLogs NONE =
            (registry, since, until) -> {
                throw new PullLogException("no pull logs are configured for " + registry);
            };

    RecentPulls lastPulls(String registry, Instant since, Instant until);
}
