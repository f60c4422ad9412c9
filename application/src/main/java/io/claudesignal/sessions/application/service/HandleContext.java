package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.in.SessionListener;
import io.claudesignal.sessions.application.port.in.Subscription;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.WriteContext;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the services of one handle share: its configuration, its lease keeping ({@link LeaseKeeper}),
 * and the telling of its writes ({@link ChangeFollower}). Each service holds this rather than another
 * service, so that no service of the application refers back to another.
 */
final class HandleContext implements AutoCloseable {

    private final SessionsConfig config;
    private final Clock clock;
    private final LeaseKeeper keeper;
    private final ChangeFollower follower;

    /** @param config the handle's configuration, before the store completes a daemon's name */
    HandleContext(Persistence persistence, Clock clock, SessionsConfig config) {
        Objects.requireNonNull(persistence, "persistence");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config").forStore(persistence.leases().storeTag());
        // Before anything else: a daemon's handle starts its incarnation here (see LeaseKeeper).
        this.keeper = new LeaseKeeper(persistence.leases(), persistence.sessions(), clock, this.config, this::publish);
        this.follower = new ChangeFollower(persistence.changes(), new ForeignEvents(persistence, clock, keeper::lostToOthers));
    }

    /** The handle's configuration, with the daemon's name as the store completed it. */
    SessionsConfig config() {
        return config;
    }

    Clock clock() {
        return clock;
    }

    /** The handle's leases, which fence its writes; also its {@code Leases} port. */
    LeaseKeeper leases() {
        return keeper;
    }

    /**
     * Runs {@code step}, a write of this handle (fenced by its lease where it holds one), then tells
     * the events {@code told} makes of its result. Until they are told, the change feed's thread holds
     * back at the write's rows in the log, so that no later change to the session is told before it.
     * Every write of every service of the handle goes through here.
     */
    <T> T write(WriteContext write, Function<WriteContext, T> step, Function<T, List<SessionEvent>> told) {
        follower.begin(write.writeId());
        try {
            T result = keeper.fenced(write, step);
            follower.publishOwn(write.writeId(), told.apply(result));
            return result;
        } finally {
            follower.end(write.writeId());
        }
    }

    /** Tells an event of this handle that no write of its own made (a lost lease, a recovery). */
    void publish(SessionEvent event) {
        follower.publishOwn(0, List.of(event));
    }

    Subscription subscribe(SessionListener listener, int backlog) {
        return follower.subscribe(listener, backlog);
    }

    /** Stops following the store's change log; the store itself is closed by whoever opened it. */
    @Override
    public void close() {
        follower.close();
    }
}
