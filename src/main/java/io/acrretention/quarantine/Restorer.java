package io.acrretention.quarantine;

import io.acrretention.log.Log;
import io.acrretention.registry.Registry;
import io.acrretention.registry.RegistryException;
import io.acrretention.store.DocumentStore;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Undoes quarantines (docs/quarantine.md): puts every recorded tag back on its manifest, leaves a
 * tag alone that now points at another manifest ({@code tag-taken}), and removes the record. A
 * record stays when any tag could not be restored for another reason, so the restore can be
 * repeated. Dry run writes nothing.
 */
public final class Restorer {
    private static final Log LOG = Log.of(Restorer.class);
    private static final DateTimeFormatter ID =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Map<String, Registry> registries;
    private final QuarantineStore records;
    private final DocumentStore store;
    private final Clock clock;

    public Restorer(Map<String, Registry> registries, DocumentStore store, Clock clock) {
        this.registries = Map.copyOf(registries);
        this.records = new QuarantineStore(store);
        this.store = store;
        this.clock = clock;
    }

    public RestoreReport restore(RestoreRequest request) {
        List<QuarantineRecord> chosen =
                new ArrayList<>(records.all(null).stream().filter(request::selects).toList());
        chosen.sort(
                Comparator.comparing(QuarantineRecord::registry)
                        .thenComparing(QuarantineRecord::repository)
                        .thenComparing(QuarantineRecord::digest));
        String restoreId =
                ID.format(clock.instant())
                        + "-"
                        + (request.runId() != null
                                ? request.runId()
                                : Integer.toHexString(request.digests().hashCode() & 0xffff));
        List<RestoreReport.Entry> entries = new ArrayList<>();
        for (QuarantineRecord r : chosen) {
            entries.add(request.apply() ? apply(r) : planned(r));
        }
        RestoreReport report =
                new RestoreReport(
                        restoreId,
                        request.apply(),
                        clock.instant(),
                        entries,
                        RestoreReport.Totals.of(entries));
        if (request.apply()) {
            try {
                store.put(
                        "restores/" + restoreId + ".json",
                        io.acrretention.json.Json.MAPPER
                                .writerWithDefaultPrettyPrinter()
                                .writeValueAsBytes(report));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot write restore report " + restoreId, e);
            }
        }
        LOG.info(
                () ->
                        "restore "
                                + restoreId
                                + (request.apply() ? "" : " (dry run)")
                                + ": "
                                + chosen.size()
                                + " quarantined manifest(s) chosen; "
                                + report.totals());
        return report;
    }

    private static RestoreReport.Entry planned(QuarantineRecord r) {
        Map<String, String> tags = new LinkedHashMap<>();
        r.tags().forEach(t -> tags.put(t, "planned"));
        return entry(r, tags, RestoreReport.Result.PLANNED, null);
    }

    private RestoreReport.Entry apply(QuarantineRecord r) {
        Registry registry = registries.get(r.registry());
        if (registry == null) {
            return entry(
                    r,
                    Map.of(),
                    RestoreReport.Result.FAILED,
                    "registry " + r.registry() + " is not in the configuration");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        boolean gone = false;
        for (String tag : r.tags()) {
            try {
                Registry.RestoreOutcome outcome =
                        registry.restoreTag(r.repository(), r.digest(), tag);
                gone |= outcome == Registry.RestoreOutcome.MANIFEST_GONE;
                tags.put(tag, outcome.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            } catch (RegistryException | UnsupportedOperationException e) {
                tags.put(tag, "failed");
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            return entry(r, tags, RestoreReport.Result.FAILED, String.join("; ", errors));
        }
        // Every tag is back, taken by another manifest, or the manifest is gone: nothing is left to
        // restore.
        records.remove(r.registry(), r.repository(), r.digest());
        LOG.info(
                () ->
                        "restored "
                                + r.digest()
                                + " in "
                                + r.repository()
                                + " on "
                                + r.registry()
                                + ": "
                                + tags);
        return entry(
                r, tags, gone ? RestoreReport.Result.GONE : RestoreReport.Result.RESTORED, null);
    }

    private static RestoreReport.Entry entry(
            QuarantineRecord r,
            Map<String, String> tags,
            RestoreReport.Result result,
            String error) {
        return new RestoreReport.Entry(
                r.registry(),
                r.repository(),
                r.digest(),
                r.runId(),
                r.quarantinedAt(),
                r.sizeBytes(),
                tags,
                result,
                error);
    }
}
