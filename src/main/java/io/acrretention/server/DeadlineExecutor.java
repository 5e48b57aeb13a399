package io.acrretention.server;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The HTTP server's threads, each exchange with a deadline. The JDK server reads a request (and,
 * with TLS, does the handshake) on the thread that then runs the handler and writes the answer, and
 * waits for the peer as long as the peer likes: a few connections that send nothing, or read
 * nothing, would hold every thread. Here a watchdog interrupts a thread whose exchange outlived its
 * budget; the server's channels are interruptible, so the blocked read or write fails, the
 * connection is closed and the thread is free again. (The JDK's own {@code
 * sun.net.httpserver.maxReqTime} is a JVM-wide property read once, so it cannot be set reliably
 * from here.)
 */
final class DeadlineExecutor implements Executor, AutoCloseable {
    private static final long WATCH_MILLIS = 100;

    private final ExecutorService threads;
    private final ScheduledExecutorService watchdog;
    private final long budgetNanos;
    private final LongSupplier nanoTime;
    private final Set<Exchange> running = ConcurrentHashMap.newKeySet();

    /** One exchange on one thread; {@code done} and the interrupt are decided under its lock. */
    private final class Exchange {
        final Thread thread = Thread.currentThread();
        final long started = nanoTime.getAsLong();
        boolean done;

        synchronized void finish() {
            done = true;
        }

        synchronized void interruptIfLate(long now) {
            if (!done && now - started > budgetNanos) {
                thread.interrupt();
            }
        }
    }

    /**
     * @param budget how long one exchange may take, from the first byte read to the last byte
     *     written
     */
    DeadlineExecutor(String name, int threadCount, Duration budget, LongSupplier nanoTime) {
        this.budgetNanos = budget.toNanos();
        this.nanoTime = nanoTime;
        AtomicInteger n = new AtomicInteger();
        this.threads =
                Executors.newFixedThreadPool(
                        threadCount, r -> daemon(r, name + "-" + n.incrementAndGet()));
        this.watchdog =
                Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-deadlines"));
        watchdog.scheduleWithFixedDelay(
                this::interruptLate, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void execute(Runnable exchange) {
        threads.execute(
                () -> {
                    Exchange e = new Exchange();
                    running.add(e);
                    try {
                        exchange.run();
                    } finally {
                        e.finish();
                        running.remove(e);
                        // An interrupt that came after the exchange's last blocking call must not
                        // hit the next one.
                        Thread.interrupted();
                    }
                });
    }

    private void interruptLate() {
        long now = nanoTime.getAsLong();
        running.forEach(e -> e.interruptIfLate(now));
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        threads.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
