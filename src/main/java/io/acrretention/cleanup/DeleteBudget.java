package io.acrretention.cleanup;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The blast-radius cap ({@code maxDeletesPerRun}): one unit per manifest delete and per tag
 * removal. Shared by every repository of a run; an implementation backed by shared storage can span
 * function instances.
 */
public interface DeleteBudget {
    /** Takes one unit; false when the cap is reached (and the caller must not write). */
    boolean tryAcquire();

    long used();

    /** A budget for one process. */
    static DeleteBudget inMemory(long max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxDeletesPerRun must be >= 0, not " + max);
        }
        AtomicLong used = new AtomicLong();
        return new DeleteBudget() {
            @Override
            public boolean tryAcquire() {
                return used.getAndUpdate(n -> n < max ? n + 1 : n) < max;
            }

            @Override
            public long used() {
                return used.get();
            }
        };
    }
}
