package io.acrretention.bench;

import io.acrretention.telemetry.LogBridge;
import io.acrretention.telemetry.RunTelemetry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import java.lang.management.ManagementFactory;

/**
 * Started by {@link StartupBenchmark} in a fresh JVM on the function package's class path: what
 * wiring the telemetry adds to a cold start (the global OpenTelemetry, the log bridge, the run's
 * counters), in time and in classes loaded. Without the Application Insights agent the global
 * instance is the API's no-op.
 */
public final class TelemetryProbe {
    private TelemetryProbe() {}

    public static void main(String[] args) {
        var classes = ManagementFactory.getClassLoadingMXBean();
        long before = classes.getTotalLoadedClassCount();
        long t0 = System.nanoTime();
        var openTelemetry = GlobalOpenTelemetry.get();
        LogBridge.install(openTelemetry);
        new RunTelemetry(openTelemetry);
        long t1 = System.nanoTime();
        System.out.printf(
                "telemetryInitMicros=%d classes=%d%n",
                (t1 - t0) / 1000, classes.getTotalLoadedClassCount() - before);
    }
}
