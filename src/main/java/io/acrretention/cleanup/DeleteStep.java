package io.acrretention.cleanup;

import io.acrretention.registry.Manifest;
import io.acrretention.retention.Decision;
import java.util.function.Supplier;

/**
 * What the cleaner does with a planned delete once the manifest was re-read, found unchanged and
 * unlocked, and a unit of the delete budget taken. Without one the manifest is deleted; with
 * quarantine on, it is recorded and untagged instead (see {@code
 * io.acrretention.quarantine.QuarantineStep}).
 */
@FunctionalInterface
public interface DeleteStep {
    /**
     * @param current the manifest as just re-read
     * @param retry runs one registry call with the cleaner's retries, back-off and throttle
     * @return {@link Result#DELETED}, {@link Result#ALREADY_GONE}, {@link Result#QUARANTINED} or
     *     another result
     */
    Result apply(Decision decision, Manifest current, Retry retry);

    /**
     * The cleaner's retry loop, handed to a step so its registry calls share the throttle and
     * deadline.
     */
    interface Retry {
        <T> T call(Supplier<T> call);
    }
}
