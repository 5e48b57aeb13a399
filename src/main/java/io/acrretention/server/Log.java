package io.acrretention.server;

import java.time.Instant;

/**
 * One line per event on stderr, which a container runtime collects: no logging framework for a handful of
 * messages. Never given a token.
 */
final class Log {
    private Log() {
    }

    static void info(String message) {
        write("INFO", message);
    }

    static void warn(String message) {
        write("WARN", message);
    }

    private static void write(String level, String message) {
        System.err.println(Instant.now() + " " + level + " inventory-server: " + message);
    }
}
