package io.acrretention.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** A console takes the app's lines to the stream it is given, and gives them back when closed. */
class LogConsoleTest {
    final Logger app = Logger.getLogger("io.acrretention");
    final Log log = Log.of(LogConsoleTest.class);

    @Test
    void whileOpenTheAppsLinesGoToTheGivenStreamOnlyAndAfterwardsAsBefore() {
        boolean before = app.getUseParentHandlers();
        StringWriter text = new StringWriter();
        try (LogConsole console = LogConsole.commandLine(new PrintWriter(text, true))) {
            assertFalse(app.getUseParentHandlers(), "not also on the JDK's console");
            log.warn("cannot list registry.example.io");
        }
        log.warn("after the console closed");

        assertTrue(text.toString().contains("cannot list registry.example.io"), text.toString());
        assertFalse(text.toString().contains("after the console closed"), text.toString());
        assertEquals(before, app.getUseParentHandlers());
    }

    @Test
    void aComponentsLinesAreOneLineEachWithItsName() {
        StringWriter text = new StringWriter();
        try (LogConsole console =
                LogConsole.component(
                        LogConsoleTest.class, "inventory-server", new PrintWriter(text, true))) {
            log.warn("rejected a caller\nforged line");
        }

        String line = text.toString();
        assertTrue(
                line.matches(
                        "\\S+Z WARN inventory-server: rejected a caller\\\\nforged line"
                                + System.lineSeparator()),
                line);
    }
}
