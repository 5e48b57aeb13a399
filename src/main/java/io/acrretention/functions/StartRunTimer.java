package io.acrretention.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.acrretention.run.RunIds;
import io.acrretention.run.RunScope;
import io.acrretention.run.StartedRun;
import java.util.function.Supplier;

/**
 * The scheduled run: {@code %RETENTION_SCHEDULE%} (NCRONTAB; {@code 0 0 2 * * *}, daily at 02:00
 * UTC).
 */
public final class StartRunTimer {
    private final Supplier<FunctionRuns> runs;

    public StartRunTimer() {
        this(AppServices::shared);
    }

    StartRunTimer(Supplier<FunctionRuns> runs) {
        this.runs = runs;
    }

    @FunctionName("StartRunTimer")
    public void run(
            @TimerTrigger(name = "timer", schedule = "%RETENTION_SCHEDULE%") String timer,
            ExecutionContext context) {
        FunctionRuns r = runs.get();
        StartedRun run =
                r.startAndEnqueue(RunIds.next(r.clock().instant()), "timer", RunScope.EVERYTHING);
        context.getLogger()
                .info(
                        "runId="
                                + run.record().runId()
                                + " started by timer: "
                                + run.messages().size()
                                + " repositories enqueued, mode "
                                + run.record().mode().json()
                                + (run.record().withheld().isEmpty()
                                        ? ""
                                        : ", deletion withheld: " + run.record().withheld()));
    }
}
