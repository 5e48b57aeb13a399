package io.acrretention.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.acrretention.run.StartedRun;
import io.acrretention.service.RunService;
import io.acrretention.wiring.FunctionApp;
import java.util.function.Supplier;

/**
 * The scheduled run: {@code %RETENTION_SCHEDULE%} (NCRONTAB; {@code 0 0 2 * * *}, daily at 02:00
 * UTC).
 */
public final class StartRunTimer {
    private final Supplier<RunService> runs;

    public StartRunTimer() {
        this(FunctionApp::shared);
    }

    StartRunTimer(Supplier<RunService> runs) {
        this.runs = runs;
    }

    @FunctionName("StartRunTimer")
    public void run(
            @TimerTrigger(name = "timer", schedule = "%RETENTION_SCHEDULE%") String timer,
            ExecutionContext context) {
        StartedRun run = runs.get().startScheduled();
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
