package io.acrretention.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller that hands {@link Main#run} its streams gets all of the command's output there: a test,
 * a wrapper, a host that collects both. Nothing goes to the process's own stdout or stderr.
 */
class MainStreamsTest {
    @TempDir Path dir;

    @Test
    void aCommandWritesEverythingToTheStreamsItIsGivenAndNothingToTheProcesssOwn() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream leaked = new ByteArrayOutputStream();
        PrintStream systemOut = System.out;
        PrintStream systemErr = System.err;
        PrintStream leak = new PrintStream(leaked, true, StandardCharsets.UTF_8);
        int code;
        System.setOut(leak);
        System.setErr(leak);
        try {
            code =
                    Main.run(
                            new String[] {"demo", "--out", dir.toString()},
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
            System.setOut(systemOut);
            System.setErr(systemErr);
        }

        assertEquals(ExitCodes.DONE, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Manifests: keep 59"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("progress: 4/4 repositories"));
        assertEquals("", leaked.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMissingArgumentIsNamedOnTheGivenErrorStream() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream leaked = new ByteArrayOutputStream();
        PrintStream systemErr = System.err;
        int code;
        System.setErr(new PrintStream(leaked, true, StandardCharsets.UTF_8));
        try {
            code =
                    Main.run(
                            new String[] {"run"},
                            new PrintStream(new ByteArrayOutputStream()),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
            System.setErr(systemErr);
        }

        assertEquals(ExitCodes.BAD_INPUT, code);
        assertTrue(
                err.toString(StandardCharsets.UTF_8).contains("Missing required option: '--config"),
                err.toString(StandardCharsets.UTF_8) + "/" + leaked);
        assertEquals("", leaked.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theInventoryServerSaysWhyItCannotStartOnTheGivenErrorStream() throws Exception {
        Path settings = Files.writeString(dir.resolve("server.json"), "{\"issuers\": []}");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream leaked = new ByteArrayOutputStream();
        PrintStream systemErr = System.err;
        int code;
        System.setErr(new PrintStream(leaked, true, StandardCharsets.UTF_8));
        try {
            code =
                    Main.run(
                            new String[] {"serve-inventory", "--config", settings.toString()},
                            new PrintStream(new ByteArrayOutputStream()),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
            System.setErr(systemErr);
        }

        assertEquals(ExitCodes.BAD_INPUT, code);
        assertTrue(
                err.toString(StandardCharsets.UTF_8).startsWith("serve-inventory: "),
                err.toString(StandardCharsets.UTF_8));
        assertEquals("", leaked.toString(StandardCharsets.UTF_8));
    }
}
