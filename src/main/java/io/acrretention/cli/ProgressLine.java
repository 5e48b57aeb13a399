package io.acrretention.cli;

import io.acrretention.cleanup.Report;
import io.acrretention.retention.Action;
import io.acrretention.run.LocalRun;
import io.acrretention.run.StartedRun;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The command line's progress on stderr: on a terminal one line redrawn in place (repositories done
 * of all, deletes, rate, time left); otherwise, for logs and CI, a line per finished repository and
 * a status line every {@code period}. Deletes are what the plans delete, so a dry run shows what
 * delete mode would do.
 */
final class ProgressLine implements LocalRun.Progress {
    private static final String CLEAR_LINE = "\r\033[K";

    private final PrintWriter err;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private final long periodNanos;
    private long startedAt;
    private long lastStatusAt;
    private int total;
    private int done;
    private long deletes;

    ProgressLine(PrintWriter err, boolean terminal, LongSupplier nanoTime, Duration period) {
        this.err = err;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
        this.periodNanos = period.toNanos();
    }

    /**
     * On a terminal when the JVM has a console; {@code System.console()} is null when stderr is
     * redirected.
     */
    static ProgressLine forStderr(PrintWriter err) {
        return new ProgressLine(
                err, System.console() != null, System::nanoTime, Duration.ofSeconds(10));
    }

    @Override
    public synchronized void started(StartedRun run) {
        startedAt = nanoTime.getAsLong();
        lastStatusAt = startedAt;
        total = run.messages().size();
        err.println(
                "inventory "
                        + run.record().inventory()
                        + ": "
                        + (run.inventory().complete() ? "complete" : "INCOMPLETE")
                        + ", "
                        + run.inventory().images().size()
                        + " used images from "
                        + run.inventory().clusters().size()
                        + " cluster(s); "
                        + total
                        + " repositories to process");
        err.flush();
    }

    @Override
    public synchronized void repositoryDone(Report report) {
        done++;
        deletes += report.totals().manifests().getOrDefault(Action.DELETE, 0L);
        long now = nanoTime.getAsLong();
        if (terminal) {
            err.print(CLEAR_LINE + status(now));
            if (done == total) {
                err.println();
            }
        } else {
            err.println(
                    report.registry()
                            + "/"
                            + report.repository()
                            + ": "
                            + report.totals().resultsText());
            if (now - lastStatusAt >= periodNanos || done == total) {
                err.println("progress: " + status(now));
                lastStatusAt = now;
            }
        }
        err.flush();
    }

    String status(long now) {
        double seconds = Math.max(1e-9, (now - startedAt) / 1e9);
        double rate = done / seconds;
        String eta =
                done == total
                        ? "done"
                        : rate > 0 ? "ETA " + duration((total - done) / rate) : "ETA ?";
        return String.format(
                Locale.ROOT,
                "%d/%d repositories, %d deletes, %.1f repositories/s, %s",
                done,
                total,
                deletes,
                rate,
                eta);
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60
                ? s + " s"
                : s < 3600
                        ? (s / 60) + " min " + (s % 60) + " s"
                        : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
