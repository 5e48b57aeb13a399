package io.acrretention.log;

/**
 * One shape for every line about a run, so a run can be followed by its id, registry and
 * repository: {@code runId=... registry=... repository=... message}. {@link Log} escapes the line
 * as a whole when it writes it; telemetry reads the fields back ({@link #fields}).
 */
public final class LogLine {
    private LogLine() {}

    /**
     * The line; {@code registry} and {@code repository} may be null for a line about a whole run.
     */
    public static String of(String runId, String registry, String repository, String message) {
        StringBuilder sb = new StringBuilder("runId=").append(runId);
        if (registry != null) {
            sb.append(" registry=").append(registry);
        }
        if (repository != null) {
            sb.append(" repository=").append(repository);
        }
        return sb.append(' ').append(message).toString();
    }

    /**
     * What a line of {@link #of}'s shape names: its run, registry and repository (null where it
     * names none).
     */
    public record Fields(String runId, String registry, String repository, String message) {}

    /**
     * Reads back the prefix {@link #of} writes; a line of another shape has no fields and is all
     * message.
     */
    public static Fields fields(String line) {
        String[] values = new String[3];
        String[] keys = {"runId=", "registry=", "repository="};
        int at = 0;
        for (int k = 0; k < keys.length && line != null; k++) {
            if (!line.startsWith(keys[k], at)) {
                continue;
            }
            int end = line.indexOf(' ', at);
            end = end < 0 ? line.length() : end;
            values[k] = line.substring(at + keys[k].length(), end);
            at = Math.min(line.length(), end + 1);
        }
        return new Fields(values[0], values[1], values[2], line == null ? "" : line.substring(at));
    }
}
