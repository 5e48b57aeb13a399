package io.acrretention.run;

/**
 * Where a run's documents live, the same in Blob Storage and in the command line's output folder.
 * The inventory's own path is {@link io.acrretention.store.InventoryStore#pathOf}.
 */
public final class RunDocumentPaths {
    private RunDocumentPaths() {}

    public static String report(String runId, String registry, String repository) {
        return reportsOf(runId) + registry + "/" + repository + ".json";
    }

    public static String reportsOf(String runId) {
        return "reports/" + runId + "/";
    }

    /** The plan a continuation resumes. */
    public static String plan(String runId, String registry, String repository) {
        return "plans/" + runId + "/" + registry + "/" + repository + ".json";
    }

    public static String failure(String runId, String registry, String repository) {
        return failuresOf(runId) + registry + "/" + repository + ".json";
    }

    public static String failuresOf(String runId) {
        return "failures/" + runId + "/";
    }

    public static String run(String runId) {
        return runDocument(runId, "run.json");
    }

    public static String summary(String runId) {
        return runDocument(runId, "summary.json");
    }

    /**
     * Whether the used images still resolve after the run deleted; written once, when its last
     * repository is done.
     */
    public static String verification(String runId) {
        return runDocument(runId, "verification.json");
    }

    /** A run requested over HTTP and not started yet. */
    public static String request(String runId) {
        return runDocument(runId, "request.json");
    }

    /** The counter behind the run's delete budget across function instances. */
    public static String deletes(String runId) {
        return runDocument(runId, "deletes");
    }

    /**
     * Created once by the instance that notices the run's end, so the run's metrics are counted
     * once.
     */
    public static String completed(String runId) {
        return runDocument(runId, "completed");
    }

    private static String runDocument(String runId, String name) {
        return "runs/" + runId + "/" + name;
    }
}
