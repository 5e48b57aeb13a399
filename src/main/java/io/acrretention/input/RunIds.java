package io.acrretention.input;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Run ids sort by start time and are safe in blob paths and URLs: {@code 20261123T000000Z-7f3a}.
 * This is the one rule for a run id: the HTTP routes, the queue messages and every run document's
 * path (the run package's {@code RunDocuments}) accept exactly what {@link #next} makes.
 */
public final class RunIds {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern VALID = Pattern.compile("[0-9]{8}T[0-9]{6}Z-[0-9a-f]{4}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {}

    public static String next(Instant now) {
        return FORMAT.format(now) + "-" + String.format("%04x", RANDOM.nextInt(1 << 16));
    }

    public static boolean isValid(String runId) {
        return runId != null && VALID.matcher(runId).matches();
    }

    /** The run id, or a {@link BadInputException} that quotes it. */
    public static String check(String runId) {
        if (!isValid(runId)) {
            throw new BadInputException(
                    "run id '"
                            + (runId != null && runId.length() > 100
                                    ? runId.substring(0, 100) + "..."
                                    : runId)
                            + "' is not a run id like 20261123T000000Z-7f3a");
        }
        return runId;
    }
}
