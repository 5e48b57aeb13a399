package io.acrretention.quarantine;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.acrretention.json.Json;
import io.acrretention.retention.Quarantined;
import io.acrretention.store.DocumentStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The quarantine records of every registry, in the run's document store (Blob Storage, or the CLI's
 * folder).
 */
public final class QuarantineStore {
    static final String ROOT = "quarantine/";

    private final DocumentStore store;

    public QuarantineStore(DocumentStore store) {
        this.store = store;
    }

    public static String path(String registry, String repository, String digest) {
        return ROOT + registry + "/" + repository + "/" + digest + ".json";
    }

    public void put(QuarantineRecord record) {
        try {
            store.put(
                    path(record.registry(), record.repository(), record.digest()),
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot write the quarantine record of " + record.digest(), e);
        }
    }

    public Optional<QuarantineRecord> get(String registry, String repository, String digest) {
        return read(path(registry, repository, digest));
    }

    /** Removes a record; true when there was one. */
    public boolean remove(String registry, String repository, String digest) {
        return store.delete(path(registry, repository, digest));
    }

    /** The records of one repository (not of repositories nested below it). */
    public List<QuarantineRecord> ofRepository(String registry, String repository) {
        String prefix = ROOT + registry + "/" + repository + "/";
        List<QuarantineRecord> out = new ArrayList<>();
        for (String path : store.list(prefix)) {
            if (path.indexOf('/', prefix.length()) < 0 && path.endsWith(".json")) {
                read(path).ifPresent(out::add);
            }
        }
        return out;
    }

    /** Every record of every registry, or of one registry when {@code registry} is not null. */
    public List<QuarantineRecord> all(String registry) {
        List<QuarantineRecord> out = new ArrayList<>();
        for (String path : store.list(registry == null ? ROOT : ROOT + registry + "/")) {
            if (path.endsWith(".json")) {
                read(path).ifPresent(out::add);
            }
        }
        return out;
    }

    /** What the planner needs to know of a repository's quarantine. */
    public Quarantined view(String registry, String repository) {
        Map<String, Quarantined.Entry> byDigest = new HashMap<>();
        for (QuarantineRecord r : ofRepository(registry, repository)) {
            byDigest.put(r.digest(), new Quarantined.Entry(r.quarantinedAt(), r.tags()));
        }
        return new Quarantined(byDigest);
    }

    /**
     * A record removed between listing and reading (restored, released) is simply not there any
     * more.
     */
    private Optional<QuarantineRecord> read(String path) {
        Optional<byte[]> bytes = store.get(path);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(bytes.get(), QuarantineRecord.class));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read quarantine record " + path + ": " + e.getMessage(), e);
        }
    }
}
