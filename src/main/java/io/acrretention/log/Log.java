package io.acrretention.log;

import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The one way this app writes a log line. Every message is escaped here ({@link LogText}), because
 * much of what is logged comes from outside. Lines go to the JDK's logging under the caller's class
 * name, below {@code io.acrretention}: whatever listens there sees them all, the OpenTelemetry
 * bridge in Azure ({@code telemetry.LogBridge}) and the command line's stream ({@link LogConsole}).
 * A line about a run starts with its run, registry and repository ({@link LogLine}).
 */
public final class Log {
    /**
     * The parent of every logger of the app. Held: JUL keeps loggers weakly, and levels with them.
     */
    private static final Logger APP = Logger.getLogger("io.acrretention");

    private final Logger logger;

    private Log(Logger logger) {
        this.logger = logger;
    }

    public static Log of(Class<?> owner) {
        return new Log(Logger.getLogger(owner.getName()));
    }

    /** From now on in this process, only warnings and errors: the demo's story is its table. */
    public static void warningsOnly() {
        APP.setLevel(Level.WARNING);
    }

    public void info(String message) {
        write(Level.INFO, message, null);
    }

    public void warn(String message) {
        write(Level.WARNING, message, null);
    }

    public void error(String message) {
        write(Level.SEVERE, message, null);
    }

    public void error(String message, Throwable thrown) {
        write(Level.SEVERE, message, thrown);
    }

    /** The line is built only when it will be written. */
    public void info(Supplier<String> message) {
        write(Level.INFO, message);
    }

    public void warn(Supplier<String> message) {
        write(Level.WARNING, message);
    }

    public void error(Supplier<String> message) {
        write(Level.SEVERE, message);
    }

    private void write(Level level, Supplier<String> message) {
        if (logger.isLoggable(level)) {
            write(level, message.get(), null);
        }
    }

    private void write(Level level, String message, Throwable thrown) {
        if (!logger.isLoggable(level)) {
            return;
        }
        LogRecord r = new LogRecord(level, LogText.escape(message));
        r.setLoggerName(logger.getName());
        // Named, so the JDK does not walk the stack and report this class as the source.
        r.setSourceClassName(logger.getName());
        r.setThrown(thrown);
        logger.log(r);
    }
}
