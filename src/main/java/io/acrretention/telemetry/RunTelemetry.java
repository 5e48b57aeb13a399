package io.acrretention.telemetry;

import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.ReportEntry;
import io.acrretention.cleanup.Result;
import io.acrretention.retention.Action;
import io.acrretention.retention.Withheld;
import io.acrretention.run.RunSummary;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's custom metrics, named as the alerts query them (customMetrics in Application Insights,
 * each with customDimensions {@code runId}, {@code registry} and, where there is one, {@code
 * reason}): {@code RunWithheld}, {@code RunFailed}, {@code VerificationMissing}, {@code
 * RunCompleted}, and per run and registry {@code ManifestsDeleted}, {@code ManifestsUntagged},
 * {@code ManifestsQuarantined}, {@code BytesPlannedUpTo}, {@code BytesFreedUpTo} (upper bounds:
 * shared layers stay) and {@code FailedWrites}.
 */
public final class RunTelemetry {
    static final AttributeKey<String> RUN_ID = LogBridge.RUN_ID;
    static final AttributeKey<String> REGISTRY = LogBridge.REGISTRY;
    static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("status");
    static final AttributeKey<String> MODE = AttributeKey.stringKey("mode");
    static final String QUARANTINED = "quarantined";

    private final LongCounter withheld;
    private final LongCounter failed;
    private final LongCounter verificationMissing;
    private final LongCounter completed;
    private final LongCounter deleted;
    private final LongCounter untagged;
    private final LongCounter quarantined;
    private final LongCounter bytesPlanned;
    private final LongCounter bytesFreed;
    private final LongCounter failedWrites;

    public RunTelemetry(OpenTelemetry openTelemetry) {
        Meter m = openTelemetry.getMeter("io.acrretention");
        withheld =
                counter(
                        m,
                        "RunWithheld",
                        "runs (or repositories) whose deletion was withheld, by reason",
                        "{run}");
        failed = counter(m, "RunFailed", "runs that failed or finished with failures", "{run}");
        verificationMissing =
                counter(m, "VerificationMissing", "used images that no longer resolve", "{image}");
        completed =
                counter(
                        m,
                        "RunCompleted",
                        "runs whose every repository is done or failed",
                        "{run}");
        deleted = counter(m, "ManifestsDeleted", "manifests deleted", "{manifest}");
        untagged = counter(m, "ManifestsUntagged", "manifests untagged", "{manifest}");
        quarantined = counter(m, "ManifestsQuarantined", "manifests quarantined", "{manifest}");
        bytesPlanned =
                counter(m, "BytesPlannedUpTo", "upper bound of the bytes the plan deletes", "By");
        bytesFreed = counter(m, "BytesFreedUpTo", "upper bound of the bytes deleted", "By");
        failedWrites = counter(m, "FailedWrites", "deletes and untags that failed", "{write}");
    }

    /**
     * The implementation the host provides: the Application Insights agent in Azure, a no-op
     * elsewhere.
     */
    public static RunTelemetry global() {
        return new RunTelemetry(GlobalOpenTelemetry.get());
    }

    private static LongCounter counter(Meter m, String name, String description, String unit) {
        return m.counterBuilder(name).setDescription(description).setUnit(unit).build();
    }

    public void withheld(String runId, String registry, Withheld w) {
        withheld.add(1, dims(runId, registry).put(REASON, w.cause().code()).build());
    }

    public void failed(String runId, String registry, String reason) {
        failed.add(1, dims(runId, registry).put(REASON, reason).build());
    }

    /** A used image that no longer resolves after a run that deleted (the run's verification). */
    public void verificationMissing(String runId, String registry, String reference) {
        verificationMissing.add(1, dims(runId, registry).put(REASON, reference).build());
    }

    /** A finished run: one RunCompleted and its totals per registry. */
    public void completed(RunSummary summary, List<Report> reports) {
        Map<String, long[]> byRegistry = new LinkedHashMap<>();
        for (Report r : reports) {
            long[] t = byRegistry.computeIfAbsent(r.registry(), k -> new long[6]);
            for (ReportEntry e : r.entries()) {
                t[0] += e.result() == Result.DELETED ? 1 : 0;
                t[1] += e.result() == Result.UNTAGGED ? 1 : 0;
                t[2] += QUARANTINED.equals(e.result().code()) ? 1 : 0;
                t[3] += e.action() == Action.DELETE ? e.sizeBytes() : 0;
                t[4] += e.result() == Result.DELETED ? e.sizeBytes() : 0;
                t[5] += e.result() == Result.FAILED ? 1 : 0;
            }
        }
        if (byRegistry.isEmpty()) {
            byRegistry.put("", new long[6]);
        }
        byRegistry.forEach(
                (registry, t) -> {
                    Attributes a = dims(summary.runId(), registry).build();
                    completed.add(
                            1,
                            dims(summary.runId(), registry)
                                    .put(STATUS, summary.status())
                                    .put(MODE, summary.mode().json())
                                    .build());
                    deleted.add(t[0], a);
                    untagged.add(t[1], a);
                    quarantined.add(t[2], a);
                    bytesPlanned.add(t[3], a);
                    bytesFreed.add(t[4], a);
                    failedWrites.add(t[5], a);
                });
    }

    private static io.opentelemetry.api.common.AttributesBuilder dims(
            String runId, String registry) {
        return Attributes.builder()
                .put(RUN_ID, runId)
                .put(REGISTRY, registry == null ? "" : registry);
    }
}
