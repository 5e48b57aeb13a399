package io.acrretention.cleanup;

import java.time.Duration;

/** Waits; tests pass one that advances a fake clock instead. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;

    Sleeper SYSTEM =
            d -> {
                if (!d.isNegative() && !d.isZero()) {
                    Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
                }
            };
}
