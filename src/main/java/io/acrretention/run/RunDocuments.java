package io.acrretention.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.cleanup.Report;
import io.acrretention.input.RunIds;
import io.acrretention.json.Json;
import io.acrretention.quarantine.QuarantineStore;
import io.acrretention.retention.Plan;
import io.acrretention.store.DocumentStore;
import io.acrretention.store.StoreException;
import io.acrretention.usage.Baseline;
import io.acrretention.usage.UsedImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every document of a run, by what it is: the one place that knows their paths and formats, the
 * same in Blob Storage and in the command line's output folder (docs/architecture.md, documents of
 * a run). Every run id is checked against {@link RunIds} before it becomes part of a path. The
 * inventory is compact JSON and validated on reading ({@link InventoryDocument}); the run record,
 * plans, reports, failures, summaries, verifications and requests are JSON pretty enough to read in
 * a browser; the run page is HTML.
 */
public final class RunDocuments {
    private static final String INVENTORY = "inventory/";
    private static final String LATEST_INVENTORY = INVENTORY + "latest.json";
    private static final String RUNS = "runs/";
    private static final String RUN_RECORD = "run.json";

    /** The document a plan is stored in: the plan and the run it belongs to. */
    record StoredPlan(int version, String runId, Plan plan) {
        static final int VERSION = 1;
    }

    private final DocumentStore store;

    public RunDocuments(DocumentStore store) {
        this.store = store;
    }

    /** The run's inventory; also what a repository message names as its inventory. */
    public static String inventoryPath(String runId) {
        return INVENTORY + RunIds.check(runId) + ".json";
    }

    /** The run page, beside the reports. */
    public static String runPagePath(String runId) {
        return reportsOf(runId) + "index.html";
    }

    /**
     * The counter behind the run's delete budget across function instances: a count as text,
     * advanced with conditional writes by the Blob adapter of the budget.
     */
    public static String deletesPath(String runId) {
        return runDocument(runId, "deletes");
    }

    /**
     * An empty marker created once by the instance that notices the run's end, so the run's metrics
     * are counted once.
     */
    public static String completedPath(String runId) {
        return runDocument(runId, "completed");
    }

    static String reportPath(String runId, String registry, String repository) {
        return reportsOf(runId) + registry + "/" + repository + ".json";
    }

    static String planPath(String runId, String registry, String repository) {
        return "plans/" + RunIds.check(runId) + "/" + registry + "/" + repository + ".json";
    }

    // The inventory.

    /**
     * Writes the run's inventory; makes it the baseline ({@code inventory/latest.json}) only when
     * {@code asBaseline} and it is complete: the baseline is what later runs compare their used
     * images against, so an incomplete or implausible run never becomes it. Returns the run's path.
     */
    public String saveInventory(UsedImages inventory, boolean asBaseline) {
        String path = inventoryPath(inventory.runId());
        byte[] json = InventoryDocument.toJson(inventory);
        store.put(path, json);
        if (asBaseline && inventory.complete()) {
            store.put(LATEST_INVENTORY, json);
        }
        return path;
    }

    /** Writes the run's inventory, the baseline too when it is complete; returns its path. */
    public String saveInventory(UsedImages inventory) {
        return saveInventory(inventory, inventory.complete());
    }

    /** The run's inventory, validated; empty when it was not written. */
    public Optional<UsedImages> inventory(String runId) {
        String path = inventoryPath(runId);
        return store.get(path).map(b -> InventoryDocument.parse(path, runId, b));
    }

    /** The run's inventory, validated; a {@link StoreException} when it was not written. */
    public UsedImages readInventory(String runId) {
        return inventory(runId)
                .orElseThrow(
                        () ->
                                new StoreException(
                                        "inventory document "
                                                + inventoryPath(runId)
                                                + " does not exist"));
    }

    /** The inventory of the last complete run that was trusted as a baseline. */
    public Optional<UsedImages> latestInventory() {
        return store.get(LATEST_INVENTORY)
                .map(b -> InventoryDocument.parse(LATEST_INVENTORY, null, b));
    }

    /**
     * {@code inventory} with the baseline of the last complete run, or unchanged when there is
     * none. A baseline that is not valid is an error that names it: the drop guard must not be
     * skipped silently.
     */
    public UsedImages withBaseline(UsedImages inventory) {
        return latestInventory()
                .filter(UsedImages::complete)
                .filter(last -> !last.runId().equals(inventory.runId()))
                .map(
                        last ->
                                inventory.withBaseline(
                                        new Baseline(last.runId(), last.images().size())))
                .orElse(inventory);
    }

    // The run: its request, record, summary and verification.

    /** A run requested over HTTP and not started yet. */
    public void saveRequest(String runId, JsonNode request) {
        store.put(runDocument(runId, "request.json"), toJson(request));
    }

    public boolean isRequested(String runId) {
        return store.get(runDocument(runId, "request.json")).isPresent();
    }

    /** Why a requested run will never start: {@code {"runId": ..., "reason": ...}}. */
    public void saveRejection(String runId, String reason) {
        store.put(
                runDocument(runId, "rejected.json"),
                toJson(Json.MAPPER.createObjectNode().put("runId", runId).put("reason", reason)));
    }

    /** Empty unless the run's request was rejected. */
    public Optional<String> rejection(String runId) {
        return read(runDocument(runId, "rejected.json"), JsonNode.class)
                .map(n -> n.path("reason").asText(""));
    }

    public void saveRecord(RunRecord record) {
        store.put(runDocument(record.runId(), RUN_RECORD), toJson(record));
    }

    /** Empty when no run with this id has started. */
    public Optional<RunRecord> record(String runId) {
        return read(runDocument(runId, RUN_RECORD), RunRecord.class);
    }

    public void saveSummary(RunSummary summary) {
        store.put(runDocument(summary.runId(), "summary.json"), toJson(summary));
    }

    /**
     * Whether the used images still resolve after the run deleted; written once, when its last
     * repository is done. False when one was already there, which stays.
     */
    public boolean saveVerificationOnce(String runId, Verification verification) {
        return store.create(runDocument(runId, "verification.json"), toJson(verification));
    }

    public Optional<Verification> verification(String runId) {
        return read(runDocument(runId, "verification.json"), Verification.class);
    }

    /** Run ids sort by start time, so the previous run is the greatest smaller id with a record. */
    public Optional<String> previousRunId(String runId) {
        return store.list(RUNS).stream()
                .filter(p -> p.endsWith("/" + RUN_RECORD))
                .map(p -> p.substring(RUNS.length(), p.length() - RUN_RECORD.length() - 1))
                .filter(id -> RunIds.isValid(id) && id.compareTo(runId) < 0)
                .max(Comparator.naturalOrder());
    }

    // The repositories: plans, reports, failures; and the run page beside the reports.

    /**
     * Stores the repository's plan unless it already has one in this run; true when this call
     * stored it.
     */
    boolean savePlanOnce(String runId, String registry, String repository, Plan plan) {
        return store.create(
                planPath(runId, registry, repository),
                toJson(new StoredPlan(StoredPlan.VERSION, runId, plan)));
    }

    /**
     * @throws UncheckedIOException when the document is not a stored plan
     */
    Optional<StoredPlan> plan(String runId, String registry, String repository) {
        return read(planPath(runId, registry, repository), StoredPlan.class);
    }

    public void saveReport(Report report) {
        store.put(
                reportPath(report.runId(), report.registry(), report.repository()), toJson(report));
    }

    public Optional<Report> report(String runId, String registry, String repository) {
        return read(reportPath(runId, registry, repository), Report.class);
    }

    /** The run's repository reports; the run page beside them is not one. */
    public List<Report> reports(String runId) {
        return readAll(reportPaths(runId), Report.class);
    }

    public void saveFailure(RepositoryFailure failure) {
        store.put(
                failuresOf(failure.runId())
                        + failure.registry()
                        + "/"
                        + failure.repository()
                        + ".json",
                toJson(failure));
    }

    /** The repositories of the run that could not be processed, as last recorded. */
    public List<RepositoryFailure> failures(String runId) {
        return readAll(store.list(failuresOf(runId)), RepositoryFailure.class);
    }

    /**
     * How many repositories have a report or a recorded failure; a cheap count of names that reads
     * no document.
     */
    public long repositoriesWritten(String runId) {
        return reportPaths(runId).size() + store.list(failuresOf(runId)).size();
    }

    public void saveRunPage(String runId, String html) {
        store.put(runPagePath(runId), html.getBytes(StandardCharsets.UTF_8));
    }

    /** The quarantine records, kept across runs in the same store. */
    public QuarantineStore quarantine() {
        return new QuarantineStore(store);
    }

    private static String reportsOf(String runId) {
        return "reports/" + RunIds.check(runId) + "/";
    }

    private static String failuresOf(String runId) {
        return "failures/" + RunIds.check(runId) + "/";
    }

    private static String runDocument(String runId, String name) {
        return RUNS + RunIds.check(runId) + "/" + name;
    }

    private List<String> reportPaths(String runId) {
        return store.list(reportsOf(runId)).stream().filter(p -> p.endsWith(".json")).toList();
    }

    private <T> Optional<T> read(String path, Class<T> type) {
        return store.get(path).map(b -> fromJson(b, type, path));
    }

    /** A document removed between listing and reading is simply not there any more. */
    private <T> List<T> readAll(List<String> paths, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (String path : paths) {
            read(path, type).ifPresent(out::add);
        }
        return out;
    }

    private static byte[] toJson(Object document) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot write " + document.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static <T> T fromJson(byte[] json, Class<T> type, String path) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read " + path + " as " + type.getSimpleName() + ": " + e.getMessage(),
                    e);
        }
    }
}
