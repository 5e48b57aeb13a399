package io.acrretention.run;

import io.acrretention.log.LogText;

/**
 * One shape for every log line, so a run can be followed by its id, registry and repository. The line is
 * escaped as a whole: messages quote registries' errors and queue messages, which must not start lines.
 */
public final class RunLog {
    private RunLog() {
    }

    public static String line(String runId, String registry, String repository, String message) {
        StringBuilder sb = new StringBuilder("runId=").append(runId);
        if (registry != null) {
            sb.append(" registry=").append(registry);
        }
        if (repository != null) {
            sb.append(" repository=").append(repository);
        }
        return LogText.escape(sb.append(' ').append(message).toString());
    }
}
