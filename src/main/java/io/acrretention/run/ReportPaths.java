package io.acrretention.run;

/** Where a run's documents live, the same in Blob Storage and in the command line's output folder. */
public final class ReportPaths {
    private ReportPaths() {
    }

    public static String inventory(String runId) {
        return "inventory/" + runId + ".json";
    }

    public static String report(String runId, String registry, String repository) {
        return reportsOf(runId) + registry + "/" + repository + ".json";
    }

    public static String reportsOf(String runId) {
        return "reports/" + runId + "/";
    }

    public static String summary(String runId) {
        return "runs/" + runId + "/summary.json";
    }
}
