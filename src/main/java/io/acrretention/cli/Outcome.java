package io.acrretention.cli;

import io.acrretention.cleanup.Result;
import io.acrretention.run.LocalRun;
import io.acrretention.run.RunDocuments;
import io.acrretention.run.RunSummary;
import io.acrretention.wiring.LocalRuns;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Prints a finished local run, writes its page, and turns it into its exit code (docs/reports.md).
 */
final class Outcome {
    private Outcome() {}

    static int print(
            LocalRun.Result result, Path outDir, PrintWriter out, boolean decisions, Clock clock) {
        LocalRuns.pages(outDir, clock).write(result.summary(), result.reports());
        if (decisions) {
            result.reports().forEach(r -> SummaryPrinter.decisions(r, out));
            out.println();
        }
        SummaryPrinter.summary(result.summary(), result.reports(), out);
        out.println("Reports: " + outDir.resolve("reports").resolve(result.summary().runId()));
        out.println(
                "Run page: " + outDir.resolve(RunDocuments.runPagePath(result.summary().runId())));
        out.flush();
        return exitCode(result.summary());
    }

    static int exitCode(RunSummary s) {
        // The summary's status counts failed repositories and writes, refused writes and missing
        // used images.
        if (RunSummary.DONE_WITH_FAILURES.equals(s.status())
                || !s.failures().isEmpty()
                || s.results().getOrDefault(Result.FAILED.code(), 0L) > 0) {
            return ExitCodes.DELETIONS_FAILED;
        }
        return s.withheld().isEmpty() ? ExitCodes.DONE : ExitCodes.WITHHELD;
    }
}
