package io.acrretention.cli;

import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.Result;
import io.acrretention.run.LocalRun;
import io.acrretention.run.RunSummary;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Prints a finished local run and turns it into the exit code of DESIGN.md. */
final class Outcome {
    private Outcome() {
    }

    static int print(LocalRun.Result result, Path outDir, PrintWriter out, boolean decisions) {
        if (decisions) {
            result.reports().forEach(r -> SummaryPrinter.decisions(r, out));
            out.println();
        }
        SummaryPrinter.summary(result.summary(), result.reports(), out);
        out.println("Reports: " + outDir.resolve("reports").resolve(result.summary().runId()));
        out.flush();
        return exitCode(result.summary());
    }

    static int exitCode(RunSummary s) {
        if (!s.failures().isEmpty() || s.results().getOrDefault(Result.FAILED.code(), 0L) > 0) {
            return ExitCodes.DELETIONS_FAILED;
        }
        return s.withheld().isEmpty() ? ExitCodes.DONE : ExitCodes.WITHHELD;
    }
}
