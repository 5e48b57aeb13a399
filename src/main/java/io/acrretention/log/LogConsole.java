package io.acrretention.log;

import java.io.PrintWriter;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Writes the app's log lines as text to a stream the caller owns (the command line's stderr, the
 * inventory server's), one line per record, instead of the JDK's console handler, which writes to
 * whatever {@code System.err} was when logging started. While it is open, the lines of its logger
 * go only here; closing it puts the logger back as it was.
 */
public final class LogConsole extends Handler implements AutoCloseable {
    private static final String APP = "io.acrretention";

    private final Logger logger;
    private final boolean parentHandlers;
    private final PrintWriter out;
    private final Function<LogRecord, String> shape;

    private LogConsole(Logger logger, PrintWriter out, Function<LogRecord, String> shape) {
        this.logger = logger;
        this.parentHandlers = logger.getUseParentHandlers();
        this.out = out;
        this.shape = shape;
        logger.addHandler(this);
        logger.setUseParentHandlers(false);
    }

    /**
     * Every line of the app to {@code err}, shaped by the JDK's {@link SimpleFormatter} (so its
     * {@code java.util.logging.SimpleFormatter.format} property applies).
     */
    public static LogConsole commandLine(PrintWriter err) {
        SimpleFormatter formatter = new SimpleFormatter();
        return new LogConsole(Logger.getLogger(APP), err, formatter::format);
    }

    /**
     * The lines of {@code owner}'s package to {@code err} as {@code <instant> <LEVEL> <component>:
     * <message>}: a service's log as its container runtime collects it.
     */
    public static LogConsole component(Class<?> owner, String component, PrintWriter err) {
        return new LogConsole(
                Logger.getLogger(owner.getPackageName()),
                err,
                r ->
                        r.getInstant()
                                + " "
                                + levelWord(r.getLevel())
                                + " "
                                + component
                                + ": "
                                + r.getMessage()
                                + System.lineSeparator());
    }

    private static String levelWord(Level level) {
        if (level.intValue() >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        return level.intValue() >= Level.WARNING.intValue() ? "WARN" : level.getName();
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null || !isLoggable(record)) {
            return;
        }
        synchronized (out) {
            out.print(shape.apply(record));
            out.flush();
        }
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(parentHandlers);
    }
}
