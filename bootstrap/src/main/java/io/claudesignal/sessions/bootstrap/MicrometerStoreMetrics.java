package io.claudesignal.sessions.bootstrap;

import io.claudesignal.sessions.application.port.out.StoreMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * {@link StoreMetrics} as Micrometer meters in one registry; docs/metrics.md lists every name and tag.
 * The only class of the library that names Micrometer: it is loaded only when an embedder gives a
 * {@link MeterRegistry} (see {@link MetricsModule}), so Micrometer stays an optional dependency.
 */
public final class MicrometerStoreMetrics implements StoreMetrics {

    public static final String OPERATIONS = "sessions.operations";
    public static final String CONFLICTS = "sessions.conflicts";
    public static final String RECOVERIES = "sessions.recoveries";
    public static final String RECOVERED = "sessions.recovered";
    public static final String LEASE_LOSSES = "sessions.lease.losses";
    public static final String LOCK_WAITS = "sessions.lock.waits";
    public static final String BUSY_RETRIES = "sessions.busy.retries";
    public static final String GROUP_COMMIT_SIZE = "sessions.group.commit.size";
    public static final String PURGED = "sessions.purged";
    public static final String IMPORTED = "sessions.imported";
    public static final String APPROVALS_PENDING = "sessions.approvals.pending";
    public static final String INBOX_WAITING = "sessions.inbox.waiting";
    public static final String OUTBOX_UNSENT = "sessions.outbox.unsent";
    public static final String OUTBOX_DEAD = "sessions.outbox.dead";

    private final MeterRegistry registry;
    // Meters without tags that vary are made once; the tagged ones are looked up by the registry.
    private final Counter recoveries;
    private final Counter recovered;
    private final Counter leaseLosses;
    private final Timer lockWaits;
    private final Counter busyRetries;
    private final DistributionSummary groupCommitSize;
    private final Counter purged;
    private final Counter imported;

    public MicrometerStoreMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        recoveries = Counter.builder(RECOVERIES).description("Crash recoveries run").register(registry);
        recovered = Counter.builder(RECOVERED).baseUnit("sessions")
                .description("Sessions a crash recovery moved from ACTIVE to PAUSED").register(registry);
        leaseLosses = Counter.builder(LEASE_LOSSES).description("Leases this handle found lost").register(registry);
        lockWaits = Timer.builder(LOCK_WAITS).description("Waits for the database's write lock").register(registry);
        busyRetries = Counter.builder(BUSY_RETRIES)
                .description("Statements run again because the database was busy").register(registry);
        groupCommitSize = DistributionSummary.builder(GROUP_COMMIT_SIZE).baseUnit("writes")
                .description("Callers' writes committed by one group-commit transaction").register(registry);
        purged = Counter.builder(PURGED).baseUnit("sessions").description("Sessions removed by purges").register(registry);
        imported = Counter.builder(IMPORTED).baseUnit("sessions").description("Sessions written by imports").register(registry);
    }

    @Override
    public void operation(String kind, String outcome, Duration took) {
        Timer.builder(OPERATIONS).description("Calls of the API, by operation and outcome")
                .tag("kind", kind).tag("outcome", outcome).register(registry).record(took);
    }

    @Override
    public void conflict(String type) {
        Counter.builder(CONFLICTS).description("Writes refused by a conflict, by type")
                .tag("type", type).register(registry).increment();
    }

    @Override
    public void recovered(int sessions) {
        recoveries.increment();
        recovered.increment(sessions);
    }

    @Override
    public void leaseLost() {
        leaseLosses.increment();
    }

    @Override
    public void lockWait(Duration waited) {
        lockWaits.record(waited);
    }

    @Override
    public void busyRetry() {
        busyRetries.increment();
    }

    @Override
    public void groupCommit(int works) {
        groupCommitSize.record(works);
    }

    @Override
    public void purged(long sessions) {
        purged.increment(sessions);
    }

    @Override
    public void imported(long sessions) {
        imported.increment(sessions);
    }

    @Override
    public void queues(QueueDepths depths) {
        gauge(APPROVALS_PENDING, depths, QueueDepths::pendingApprovals, "approvals",
                "Approvals that wait for a decision now, in every session");
        gauge(INBOX_WAITING, depths, QueueDepths::waitingMessages, "messages",
                "Messages waiting in the inboxes, not yet taken by a daemon");
        gauge(OUTBOX_UNSENT, depths, QueueDepths::unsentReplies, "replies",
                "Replies waiting to be sent (pending or claimed)");
        gauge(OUTBOX_DEAD, depths, QueueDepths::deadReplies, "replies", "Replies out of attempts, kept until retried");
    }

    private void gauge(String name, QueueDepths depths, ToDoubleFunction<QueueDepths> read, String unit,
            String description) {
        // A strong reference: the depths live as long as the store, which the registry does not hold.
        Gauge.builder(name, depths, read).strongReference(true).baseUnit(unit).description(description)
                .register(registry);
    }
}
