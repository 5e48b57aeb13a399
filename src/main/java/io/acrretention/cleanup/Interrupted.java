package io.acrretention.cleanup;

/**
 * The thread was interrupted: someone asked the work to stop now. Not a failure of the registry nor
 * of the decision being applied; whoever throws it has restored the thread's interrupt flag, and
 * whatever it cut short is left undone for the continuation, which re-reads before it writes.
 */
public final class Interrupted extends RuntimeException {
    public Interrupted(String message, InterruptedException cause) {
        super(message, cause);
    }
}
