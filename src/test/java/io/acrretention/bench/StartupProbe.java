package io.acrretention.bench;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.acrretention.functions.RunStatusHttp;
import io.acrretention.testing.functions.HostStandIn;
import java.lang.management.ManagementFactory;

/**
 * Started by {@link StartupBenchmark} in a fresh JVM on the function package's class path: makes
 * the first handler call as the host would (the no-argument constructor, services built from the
 * environment) and prints the time from JVM start to its answer.
 */
public final class StartupProbe {
    private StartupProbe() {}

    public static void main(String[] args) {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long mainAt = System.currentTimeMillis();
        HttpResponseMessage r =
                new RunStatusHttp()
                        .run(
                                HostStandIn.request(
                                        HttpMethod.GET,
                                        "https://app/api/runs/20261123T000000Z-0000",
                                        null),
                                "20261123T000000Z-0000",
                                HostStandIn.context("RunStatusHttp"));
        long done = System.currentTimeMillis();
        System.out.printf(
                "status=%d jvmToMain=%d jvmToFirstAnswer=%d%n",
                r.getStatusCode(), mainAt - jvmStart, done - jvmStart);
    }
}
