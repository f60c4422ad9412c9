package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.application.port.in.Leases;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Renews a daemon's leases every heartbeat interval on one background thread. A renewal that fails
 * (the store busy, the disk failing) is reported and retried at the next beat: the lease is long
 * enough to survive a few missed beats, and if it does not, fencing keeps the old owner from writing.
 */
public final class LeaseHeartbeat implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LeaseHeartbeat.class.getName());

    private final ScheduledExecutorService timer;

    private LeaseHeartbeat(Leases leases, Duration interval) {
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "sessions-lease-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        // Delays run on the monotonic clock (System.nanoTime): a step of the wall clock neither
        // skips beats nor bunches them; lease expiry itself is decided by the store (docs/leases.md).
        long millis = interval.toMillis();
        timer.scheduleWithFixedDelay(() -> beat(leases), millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Starts renewing {@code leases} every {@code interval}, the first time one interval from now. */
    public static LeaseHeartbeat start(Leases leases, Duration interval) {
        return new LeaseHeartbeat(Objects.requireNonNull(leases, "leases"), Objects.requireNonNull(interval, "interval"));
    }

    private static void beat(Leases leases) {
        try {
            leases.renew();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "renewing the leases failed; retrying at the next heartbeat", e);
        }
    }

    /** Stops renewing; the leases then expire unless released. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
