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
 * {@code acr-retention restore}: bad arguments are refused, naming what is wrong, before any
 * credential is used.
 */
class RestoreCommandTest {
    @TempDir Path dir;

    private String[] run(String... args) throws Exception {
        Path config = dir.resolve("config.json");
        Files.writeString(
                config,
                "{\"registries\": [{\"endpoint\": \"https://mactemp.azurecr.io\"}], \"clusters\": []}");
        String[] full = new String[args.length + 2];
        full[0] = "restore";
        full[1] = "--config=" + config;
        System.arraycopy(args, 0, full, 2, args.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Main.run(
                        full,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {
            Integer.toString(code),
            out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8)
        };
    }

    @Test
    void aRestoreNeedsExactlyOneOfARunAndDigests() throws Exception {
        assertEquals("2", run()[0]);
        String[] both =
                run("--run", "20261123T000000Z-7f3a", "--digest", "sha256:" + "a".repeat(64));
        assertEquals("2", both[0]);
        assertTrue(both[2].contains("mutually exclusive"), both[2]);
    }

    @Test
    void aBadRunIdDigestGlobOrModeIsNamed() throws Exception {
        String[] badRun = run("--run", "last-tuesday");
        assertEquals("2", badRun[0]);
        assertTrue(badRun[2].contains("run id 'last-tuesday'"), badRun[2]);
        String[] badDigest = run("--digest", "sha256:abc", "--repository", "app/**");
        assertTrue(badDigest[2].contains("digest [0] 'sha256:abc'"), badDigest[2]);
        String[] badMode = run("--run", "20261123T000000Z-7f3a", "--mode", "delete");
        assertEquals("2", badMode[0]);
        assertTrue(badMode[2].contains("--mode must be dry-run or apply"), badMode[2]);
    }
}
