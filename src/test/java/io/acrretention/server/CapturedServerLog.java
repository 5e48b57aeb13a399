package io.acrretention.server;

import io.acrretention.log.LogConsole;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The server's log lines, as {@code serve-inventory} writes them, while this is open; then they are
 * passed on to stderr, for the test's own output.
 */
final class CapturedServerLog implements AutoCloseable {
    private final StringWriter text = new StringWriter();
    private final LogConsole console = InventoryServer.logTo(new PrintWriter(text, true));

    String text() {
        return text.toString();
    }

    @Override
    public void close() {
        console.close();
        System.err.print(text());
    }
}
