package io.acrretention.cleanup;

/**
 * The decision being applied cannot be attempted (again) before the request's deadline: the
 * throttle gate opens, or the next retry would start, only after it. Not a failure of the decision:
 * the cleaner ends its report just before that decision, and the continuation applies it, re-read
 * first like every write.
 */
final class DeadlineReached extends RuntimeException {
    DeadlineReached(String message) {
        super(message, null, false, false);
    }
}
