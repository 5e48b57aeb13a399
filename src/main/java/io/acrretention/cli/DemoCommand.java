package io.acrretention.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import io.acrretention.inventory.ImageSource;
import io.acrretention.inventory.InventoryCollector;
import io.acrretention.inventory.ListedImageSource;
import io.acrretention.json.Json;
import io.acrretention.log.Log;
import io.acrretention.registry.Registry;
import io.acrretention.registry.snapshot.SnapshotRegistry;
import io.acrretention.run.LocalRun;
import io.acrretention.run.RunIds;
import io.acrretention.run.RunScope;
import io.acrretention.store.LocalDocumentStore;
import io.acrretention.wiring.Wiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        RetentionConfig config =
                ConfigParser.parse(resource("demo/config.json"), "bundled demo/config.json");
        SnapshotRegistry registry;
        try (InputStream in = stream("demo/registry-snapshot.json")) {
            registry = SnapshotRegistry.load(in, "bundled demo/registry-snapshot.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Plan as of the snapshot, so the demo shows the same decisions on any day.
        Clock clock = Clock.fixed(registry.snapshotAt(), ZoneOffset.UTC);
        InventoryCollector collector = new InventoryCollector(clusters(), config.limits(), clock);
        Map<String, Registry> registries = Map.of(registry.loginServer(), registry);
        LocalRun run =
                LocalRun.of(
                        config,
                        registries,
                        collector,
                        new LocalDocumentStore(out),
                        clock,
                        Wiring.cleaners(config));
        var writer = spec.commandLine().getOut();
        writer.println(
                "acr-retention demo: a bundled snapshot of "
                        + registry.loginServer()
                        + " (as of "
                        + registry.snapshotAt()
                        + ") and the images two clusters run. Dry run: nothing is deleted.");
        writer.println(
                "Policy: keep latest, images in use, the 10 newest tags, the 10 newest of main|master, "
                        + "anything younger than 90 days; untagged manifests may go.");
        LocalRun.Result result =
                run.execute(
                        RunIds.next(clock.instant()),
                        "demo",
                        RunScope.EVERYTHING,
                        ProgressLine.forStderr(spec.commandLine().getErr()));
        // The page's "written at" is the real time; the run itself is as of the snapshot.
        return Outcome.print(result, out, writer, true, Clock.systemUTC());
    }

    private static List<ImageSource> clusters() {
        try {
            JsonNode root = Json.MAPPER.readTree(resource("demo/clusters.json"));
            List<ImageSource> sources = new ArrayList<>();
            for (JsonNode c : root.path("clusters")) {
                List<String> images = new ArrayList<>();
                c.path("images").forEach(i -> images.add(i.asText()));
                sources.add(new ListedImageSource(c.path("name").asText(), images));
            }
            return sources;
        } catch (IOException e) {
            throw new UncheckedIOException("bundled demo/clusters.json is unreadable", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = stream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream stream(String name) {
        InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("the bundled " + name + " is missing from the jar");
        }
        return in;
    }
}
