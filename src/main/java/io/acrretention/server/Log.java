package io.acrretention.server;

import io.acrretention.log.LogText;
import java.time.Instant;

/**
 * One line per event on stderr, which a container runtime collects: no logging framework for a
 * handful of messages. Never given a token. A message often quotes what a caller sent (a token's
 * header, a path): it is escaped, so a caller cannot write a line of its own.
 */
final class Log {
    private Log() {}

    static void info(String message) {
        write("INFO", message);
    }

    static void warn(String message) {
        write("WARN", message);
    }

    private static void write(String level, String message) {
        System.err.println(
                Instant.now() + " " + level + " inventory-server: " + LogText.escape(message));
    }
}
