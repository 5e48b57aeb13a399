package io.acrretention.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.ReportEntry;
import io.acrretention.cleanup.Result;
import io.acrretention.retention.Action;
import io.acrretention.retention.Mode;
import io.acrretention.retention.Reason;
import io.acrretention.run.RepositoryMessage;
import io.acrretention.run.RunMode;
import io.acrretention.run.RunRecord;
import io.acrretention.run.StartedRun;
import io.acrretention.testing.Inventories;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's progress: one line redrawn on a terminal, plain lines for logs, on the stream
 * it is given.
 */
class ProgressLineTest {
    static final long SECOND = 1_000_000_000L;

    @TempDir java.nio.file.Path dir;

    private static StartedRun run(int repositories) {
        List<RepositoryMessage> messages = new ArrayList<>();
        for (int i = 0; i < repositories; i++) {
            messages.add(
                    new RepositoryMessage(
                            1,
                            "r",
                            "reg.example.io",
                            "repo" + i,
                            "inventory/r.json",
                            Mode.DRY_RUN));
        }
        RunRecord record =
                new RunRecord(
                        "r",
                        Instant.EPOCH,
                        "test",
                        RunMode.DRY_RUN,
                        "inventory/r.json",
                        List.of(),
                        List.of(),
                        List.of());
        return new StartedRun(record, Inventories.using("reg.example.io/repo0:1"), messages);
    }

    private static Report report(String repository, int deletes) {
        List<ReportEntry> entries = new ArrayList<>();
        for (int i = 0; i < deletes; i++) {
            entries.add(
                    new ReportEntry(
                            "sha256:" + i,
                            List.of("t" + i),
                            Instant.EPOCH,
                            10,
                            Action.DELETE,
                            List.of(),
                            List.of(Reason.EXPIRED),
                            Map.of(),
                            null,
                            Result.PLANNED,
                            null));
        }
        return new Report(
                Report.VERSION,
                "r",
                "reg.example.io",
                repository,
                Mode.DRY_RUN,
                Instant.EPOCH,
                Instant.EPOCH,
                List.of(),
                true,
                deletes,
                entries,
                Report.Totals.of(entries));
    }

    @Test
    void onATerminalOneLineIsRedrawnWithDoneTotalDeletesRateAndTimeLeft() {
        StringWriter text = new StringWriter();
        AtomicLong now = new AtomicLong();
        ProgressLine progress =
                new ProgressLine(new PrintWriter(text), true, now::get, Duration.ofSeconds(10));
        progress.started(run(4));
        now.set(2 * SECOND);
        progress.repositoryDone(report("repo0", 3));

        String afterOne = text.toString();
        assertTrue(
                afterOne.endsWith(
                        "\r\033[K1/4 repositories, 3 deletes, 0.5 repositories/s, ETA 6 s"),
                afterOne);
        assertFalse(
                afterOne.substring(afterOne.indexOf('\r')).contains("\n"),
                "redrawn in place, no new line");

        now.set(8 * SECOND);
        progress.repositoryDone(report("repo1", 0));
        progress.repositoryDone(report("repo2", 1));
        progress.repositoryDone(report("repo3", 0));
        assertTrue(
                text.toString().endsWith("4/4 repositories, 4 deletes, 0.5 repositories/s, done\n"),
                text.toString());
    }

    @Test
    void withoutATerminalEachRepositoryIsALineAndTheStatusComesEveryPeriod() {
        StringWriter text = new StringWriter();
        AtomicLong now = new AtomicLong();
        ProgressLine progress =
                new ProgressLine(new PrintWriter(text), false, now::get, Duration.ofSeconds(10));
        progress.started(run(3));
        now.set(5 * SECOND);
        progress.repositoryDone(report("repo0", 2));
        now.set(11 * SECOND);
        progress.repositoryDone(report("repo1", 0));
        now.set(12 * SECOND);
        progress.repositoryDone(report("repo2", 0));

        String[] lines = text.toString().split("\n");
        assertFalse(text.toString().contains("\r"));
        assertEquals(
                List.of(
                        "reg.example.io/repo0: planned 2",
                        "reg.example.io/repo1: ",
                        "progress: 2/3 repositories, 2 deletes, 0.2 repositories/s, ETA 6 s",
                        "reg.example.io/repo2: ",
                        "progress: 3/3 repositories, 2 deletes, 0.3 repositories/s, done"),
                List.of(lines).subList(1, 6));
    }

    @Test
    void theDemoWritesItsProgressToTheStreamMainRunIsGivenNotToSystemErr() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream systemErr = System.err;
        ByteArrayOutputStream leaked = new ByteArrayOutputStream();
        System.setErr(new PrintStream(leaked));
        try {
            assertEquals(
                    0,
                    Main.run(
                            new String[] {"demo", "--out", dir.toString()},
                            new PrintStream(out),
                            new PrintStream(err)));
        } finally {
            System.setErr(systemErr);
        }
        assertTrue(
                err.toString().contains("progress: 4/4 repositories, 24 deletes"), err.toString());
        assertFalse(leaked.toString().contains("repositories"), leaked.toString());
    }
}
