package io.acrretention.cli;

import io.acrretention.config.RetentionConfig;
import io.acrretention.quarantine.RestoreReport;
import io.acrretention.quarantine.RestoreRequest;
import io.acrretention.wiring.Credentials;
import io.acrretention.wiring.LocalRuns;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code acr-retention restore}: puts quarantined manifests' tags back (dry run unless {@code
 * --mode apply}).
 */
@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        description =
                "Put back the tags that quarantine removed, by run or by digest (dry run unless --mode apply).")
final class RestoreCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "the configuration document")
    Path config;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    static final class Which {
        @Option(
                names = "--run",
                paramLabel = "RUNID",
                description = "every manifest this run quarantined")
        String runId;

        @Option(
                names = "--digest",
                paramLabel = "D",
                arity = "1..*",
                description = "these manifests (sha256:...)")
        List<String> digests;
    }

    @Option(
            names = "--repository",
            paramLabel = "GLOB",
            description = "only repositories this glob matches")
    String repository;

    @Option(
            names = "--mode",
            defaultValue = "dry-run",
            paramLabel = "MODE",
            description = "dry-run (default) or apply")
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
                    "the folder the runs wrote, holding quarantine/ (default: ${DEFAULT-VALUE})")
    Path out;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Optional<RetentionConfig> read = ConfigFile.read(config, err);
        if (read.isEmpty()) {
            return ExitCodes.BAD_INPUT;
        }
        RetentionConfig cfg = read.get();
        if (!mode.equals("dry-run") && !mode.equals("apply")) {
            err.println("error: --mode must be dry-run or apply, not '" + mode + "'");
            return ExitCodes.BAD_INPUT;
        }
        if (!Credentials.known(credential, err)) {
            return ExitCodes.BAD_INPUT;
        }
        RestoreRequest request;
        try {
            request =
                    new RestoreRequest(
                            which.runId, which.digests, repository, mode.equals("apply"));
        } catch (RestoreRequest.InvalidRestoreException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        RestoreReport report = LocalRuns.restorer(cfg, credential, out).restore(request);
        print(report, spec.commandLine().getOut());
        return report.totals().failed() > 0 ? ExitCodes.DELETIONS_FAILED : ExitCodes.DONE;
    }

    static void print(RestoreReport r, PrintWriter out) {
        out.printf("Restore %s (%s)%n", r.restoreId(), r.apply() ? "apply" : "dry-run");
        for (RestoreReport.Entry e : r.entries()) {
            out.printf(
                    "  %-8s %s/%s@%s  %s%s%n",
                    e.result().name().toLowerCase(java.util.Locale.ROOT),
                    e.registry(),
                    e.repository(),
                    e.digest(),
                    e.tags(),
                    e.error() == null ? "" : "  " + e.error());
        }
        RestoreReport.Totals t = r.totals();
        out.printf(
                "Manifests: %d restored (%s), %d planned (%s), %d gone, %d failed; %d tag(s) taken by other"
                        + " manifests, left alone%n",
                t.restored(),
                SummaryPrinter.bytes(t.restoredBytes()),
                t.planned(),
                SummaryPrinter.bytes(t.plannedBytes()),
                t.gone(),
                t.failed(),
                t.tagsTaken());
        if (r.entries().isEmpty()) {
            out.println("Nothing in quarantine matches.");
        }
    }
}
