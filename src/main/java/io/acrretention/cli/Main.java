package io.acrretention.cli;

import io.acrretention.log.LogConsole;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code acr-retention}: one exit point; every command returns its exit code (docs/reports.md,
 * "Exit codes").
 */
@Command(
        name = "acr-retention",
        mixinStandardHelpOptions = true,
        versionProvider = Main.JarVersion.class,
        description =
                "Deletes container images nobody needs from Azure Container Registry, never one a cluster runs.",
        subcommands = {
            RunCommand.class,
            DemoCommand.class,
            ServeInventoryCommand.class,
            RestoreCommand.class
        })
public final class Main implements Runnable {
    /** The version the build wrote into the jar's manifest; a build from classes says so. */
    static final class JarVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {
                "acr-retention " + (v == null ? "(development build, no jar manifest)" : v)
            };
        }
    }

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        // One line per log record, on err beside the progress lines, unless the user configured
        // logging.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty(
                    "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT %4$s %5$s%6$s%n");
        }
        PrintWriter errWriter = new PrintWriter(err, true);
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(errWriter);
        cl.setParameterExceptionHandler(
                (e, a) -> {
                    err.println("error: " + e.getMessage());
                    e.getCommandLine().usage(err);
                    return ExitCodes.BAD_INPUT;
                });
        cl.setExecutionExceptionHandler(
                (e, command, parsed) -> {
                    err.println(
                            "error: unexpected "
                                    + e.getClass().getSimpleName()
                                    + ": "
                                    + e.getMessage());
                    return ExitCodes.UNEXPECTED;
                });
        if (System.getProperty("java.util.logging.config.file") != null) {
            return cl.execute(args); // the user's logging configuration says where lines go
        }
        try (LogConsole log = LogConsole.commandLine(errWriter)) {
            return cl.execute(args);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
