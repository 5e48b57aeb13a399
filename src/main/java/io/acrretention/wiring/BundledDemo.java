package io.acrretention.wiring;

import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import io.acrretention.inventory.ImageSource;
import io.acrretention.inventory.InventoryCollector;
import io.acrretention.inventory.ListedImageSource;
import io.acrretention.json.Json;
import io.acrretention.registry.Registry;
import io.acrretention.registry.snapshot.SnapshotRegistry;
import io.acrretention.run.LocalRun;
import io.acrretention.store.LocalDocumentStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's composition root: the run's own code path over bundled data (a registry snapshot and
 * the images two clusters use) served by in-process adapters. No Azure account, no network.
 *
 * @param clock the snapshot's time, so the demo shows the same decisions on any day
 */
public record BundledDemo(LocalRun run, String loginServer, Instant snapshotAt, Clock clock) {

    /** The demo run, writing its documents under {@code out}. */
    public static BundledDemo writingTo(Path out) {
        RetentionConfig config =
                ConfigParser.parse(resource("demo/config.json"), "bundled demo/config.json");
        SnapshotRegistry registry;
        try (InputStream in = stream("demo/registry-snapshot.json")) {
            registry = SnapshotRegistry.load(in, "bundled demo/registry-snapshot.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Clock clock = Clock.fixed(registry.snapshotAt(), ZoneOffset.UTC);
        InventoryCollector collector = new InventoryCollector(clusters(), config.limits(), clock);
        Map<String, Registry> registries = Map.of(registry.loginServer(), registry);
        LocalRun run =
                LocalRuns.of(
                        config,
                        registries,
                        collector,
                        new LocalDocumentStore(out),
                        clock,
                        Adapters.cleaners(config));
        return new BundledDemo(run, registry.loginServer(), registry.snapshotAt(), clock);
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
        InputStream in = BundledDemo.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("the bundled " + name + " is missing from the jar");
        }
        return in;
    }
}
