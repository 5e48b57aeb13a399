package io.acrretention.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Whatever listens behind the facade gets lines that what they quote cannot split. */
class LogTest {
    @Test
    void aRunLineIsEscapedAsAWholeBeforeAnyHandlerSeesIt() {
        Logger logger = Logger.getLogger(LogTest.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler handler =
                new Handler() {
                    @Override
                    public void publish(LogRecord r) {
                        records.add(r);
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                };
        logger.addHandler(handler);
        try {
            Log.of(LogTest.class)
                    .warn(LogLine.of("r1", "r", "app/api", "failed: 500 body\nINFO forged"));
        } finally {
            logger.removeHandler(handler);
        }

        assertEquals(1, records.size());
        assertEquals(
                "runId=r1 registry=r repository=app/api failed: 500 body\\nINFO forged",
                records.get(0).getMessage());
        assertEquals(LogTest.class.getName(), records.get(0).getLoggerName());
    }
}
