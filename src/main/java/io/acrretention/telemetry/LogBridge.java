package io.acrretention.telemetry;

import io.acrretention.log.LogLine;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * Every log line of the app ({@code io.acrretention} loggers) as an OpenTelemetry log record whose
 * attributes are the line's {@code runId}, {@code registry} and {@code repository}: in Application
 * Insights they are the trace's customDimensions, so a run can be followed by query instead of by
 * text search. The lines keep their text form ({@link LogLine#of}); this reads the fields back from
 * it, so no call site has to change.
 */
public final class LogBridge extends Handler {
    static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("runId");
    static final AttributeKey<String> REGISTRY = AttributeKey.stringKey("registry");
    static final AttributeKey<String> REPOSITORY = AttributeKey.stringKey("repository");
    static final AttributeKey<String> LOGGER = AttributeKey.stringKey("logger");
    // Held here: JUL keeps loggers weakly, and a collected logger forgets its handlers.
    private static final java.util.logging.Logger APP =
            java.util.logging.Logger.getLogger("io.acrretention");

    private final Logger logger;
    private final SimpleFormatter text = new SimpleFormatter();

    private LogBridge(OpenTelemetry openTelemetry) {
        this.logger = openTelemetry.getLogsBridge().get("io.acrretention");
    }

    /**
     * Sends the app's log records to {@code openTelemetry} from now on; once per process is enough.
     */
    public static synchronized LogBridge install(OpenTelemetry openTelemetry) {
        for (Handler h : APP.getHandlers()) {
            if (h instanceof LogBridge) {
                APP.removeHandler(h);
            }
        }
        LogBridge bridge = new LogBridge(openTelemetry);
        APP.addHandler(bridge);
        return bridge;
    }

    /** Stops sending; for tests that install a bridge of their own. */
    public void uninstall() {
        APP.removeHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null || !isLoggable(record)) {
            return;
        }
        LogLine.Fields f = LogLine.fields(text.formatMessage(record));
        AttributesBuilder attributes = Attributes.builder().put(LOGGER, record.getLoggerName());
        putIfPresent(attributes, RUN_ID, f.runId());
        putIfPresent(attributes, REGISTRY, f.registry());
        putIfPresent(attributes, REPOSITORY, f.repository());
        String body = f.message();
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            body = body + "\n" + trace;
        }
        logger.logRecordBuilder()
                .setTimestamp(record.getInstant())
                .setSeverity(severity(record.getLevel()))
                .setSeverityText(record.getLevel().getName())
                .setBody(body)
                .setAllAttributes(attributes.build())
                .emit();
    }

    private static void putIfPresent(AttributesBuilder b, AttributeKey<String> key, String value) {
        if (value != null && !value.isEmpty() && !"null".equals(value)) {
            b.put(key, value);
        }
    }

    static Severity severity(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return Severity.ERROR;
        }
        if (v >= Level.WARNING.intValue()) {
            return Severity.WARN;
        }
        if (v >= Level.INFO.intValue()) {
            return Severity.INFO;
        }
        return v >= Level.FINE.intValue() ? Severity.DEBUG : Severity.TRACE;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        uninstall();
    }
}
