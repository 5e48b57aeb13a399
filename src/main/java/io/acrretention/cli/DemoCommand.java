package io.acrretention.cli;

import io.acrretention.input.RunIds;
import io.acrretention.log.Log;
import io.acrretention.run.LocalRun;
import io.acrretention.run.RunSelection;
import io.acrretention.wiring.BundledDemo;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code acr-retention demo}: the run's own code path on bundled data, a registry snapshot and the
 * images two clusters use, served by in-process adapters. No Azure account, no network, dry run.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Show what a dry run would keep and delete, and why, on a bundled sample registry.")
final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--out",
            defaultValue = "acr-retention-out/demo",
            paramLabel = "DIR",
            description =
                    "where the demo's inventory, reports and summary are written (default: ${DEFAULT-VALUE})")
    Path out;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        // The demo's story is the decisions table; the pipeline's own log lines would bury it.
        Log.warningsOnly();
        BundledDemo demo = BundledDemo.writingTo(out);
        var writer = spec.commandLine().getOut();
        writer.println(
                "acr-retention demo: a bundled snapshot of "
                        + demo.loginServer()
                        + " (as of "
                        + demo.snapshotAt()
                        + ") and the images two clusters run. Dry run: nothing is deleted.");
        writer.println(
                "Policy: keep latest, images in use, the 10 newest tags, the 10 newest of main|master, "
                        + "anything younger than 90 days; untagged manifests may go.");
        LocalRun.Result result =
                demo.run()
                        .execute(
                                RunIds.next(demo.clock().instant()),
                                "demo",
                                RunSelection.EVERYTHING,
                                ProgressLine.forStderr(spec.commandLine().getErr()));
        // The page's "written at" is the real time; the run itself is as of the snapshot.
        return Outcome.print(result, out, writer, true, Clock.systemUTC());
    }
}
