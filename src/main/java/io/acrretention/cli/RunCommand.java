package io.acrretention.cli;

import com.azure.core.credential.TokenCredential;
import io.acrretention.config.RetentionConfig;
import io.acrretention.input.BadInputException;
import io.acrretention.inventory.kubernetes.ArmEndpoint;
import io.acrretention.registry.Registry;
import io.acrretention.retention.Mode;
import io.acrretention.run.LocalRun;
import io.acrretention.run.RunIds;
import io.acrretention.run.RunScope;
import io.acrretention.store.LocalDocumentStore;
import io.acrretention.wiring.Wiring;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
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
        RunScope scope = RunScope.EVERYTHING;
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
                scope = RunScope.DRY_RUN;
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
        TokenCredential token = Credentials.of(credential);
        Clock clock = Clock.systemUTC();
        Map<String, Registry> registries = Wiring.registries(cfg, token, null);
        LocalDocumentStore store = new LocalDocumentStore(out);
        LocalRun run =
                LocalRun.of(
                        cfg,
                        registries,
                        Wiring.collector(cfg, token, ArmEndpoint.azurePublic(), clock),
                        Wiring.pullLogs(cfg, token, null),
                        store,
                        clock,
                        Wiring.cleaners(cfg));
        return Outcome.print(
                run.execute(
                        RunIds.next(clock.instant()), "cli", scope, ProgressLine.forStderr(err)),
                out,
                spec.commandLine().getOut(),
                false,
                clock);
    }
}
