package io.acrretention.cli;

import io.acrretention.config.RetentionConfig;
import io.acrretention.input.BadInputException;
import io.acrretention.input.RunIds;
import io.acrretention.retention.Mode;
import io.acrretention.run.LocalRun;
import io.acrretention.run.RunSelection;
import io.acrretention.wiring.Credentials;
import io.acrretention.wiring.LocalRuns;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code acr-retention run}: the functions' pipeline in one process, against real registries and
 * clusters.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description =
                "Collect what the clusters run, plan every repository and apply (dry run unless configured).")
final class RunCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "the configuration document")
    Path config;

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            description =
                    "dry-run (every repository) or delete (lifts the "
                            + "configuration's base mode; an override's own dry-run stays)")
    String mode;

    @Option(
            names = "--credential",
            defaultValue = "azure-cli",
            paramLabel = "KIND",
            description = "azure-cli (default), managed-identity or environment")
    String credential;

    @Option(
            names = "--out",
            defaultValue = "acr-retention-out",
            paramLabel = "DIR",
            description =
                    "where inventory, reports and the summary are written (default: ${DEFAULT-VALUE})")
    Path out;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        // The streams Main.run was given, not System's: a caller (or a test) may capture them.
        PrintWriter err = spec.commandLine().getErr();
        Optional<RetentionConfig> read = ConfigFile.read(config, err);
        if (read.isEmpty()) {
            return ExitCodes.BAD_INPUT;
        }
        RetentionConfig cfg = read.get();
        RunSelection scope = RunSelection.EVERYTHING;
        if (mode != null) {
            Mode asked;
            try {
                asked = Mode.fromJson(mode);
            } catch (BadInputException e) {
                err.println("error: --mode " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            // dry-run narrows every repository; delete lifts only the base mode, never an
            // override's own dry-run.
            if (asked == Mode.DRY_RUN) {
                scope = RunSelection.DRY_RUN;
            } else {
                cfg =
                        new RetentionConfig(
                                cfg.registries(),
                                cfg.clusters(),
                                cfg.policy().withBaseMode(Mode.DELETE),
                                cfg.limits());
            }
        }
        if (!Credentials.known(credential, err)) {
            return ExitCodes.BAD_INPUT;
        }
        // Only now, with every argument valid, is a credential touched.
        Clock clock = Clock.systemUTC();
        LocalRun run = LocalRuns.run(cfg, credential, out, clock);
        return Outcome.print(
                run.execute(
                        RunIds.next(clock.instant()), "cli", scope, ProgressLine.forStderr(err)),
                out,
                spec.commandLine().getOut(),
                false,
                clock);
    }
}
