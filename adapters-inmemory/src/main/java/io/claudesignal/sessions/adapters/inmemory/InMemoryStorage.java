package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import io.claudesignal.sessions.application.port.out.ActivityRepository;
import io.claudesignal.sessions.application.port.out.ApprovalRepository;
import io.claudesignal.sessions.application.port.out.ChangeFeed;
import io.claudesignal.sessions.application.port.out.InboxRepository;
import io.claudesignal.sessions.application.port.out.LeaseRepository;
import io.claudesignal.sessions.application.port.out.OutboxRepository;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.SessionRepository;
import io.claudesignal.sessions.application.port.out.StorageAdapter;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import io.claudesignal.sessions.application.port.out.TranscriptRepository;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sessions in memory that outlive the stores opened on them, the way a database file outlives the
 * processes that open it: a test opens a store on it, closes it (a daemon stopping or dying), opens
 * another on the same storage and sees what the first left, leases included, so restarts and
 * recovery can be tested without a disk. Several handles may be open at once, like several processes
 * on one file. Nothing survives the JVM.
 */
public final class InMemoryStorage {

    private final InMemorySessionRepository data = new InMemorySessionRepository();
    // 0 is the repository's own persistence(); each handle is another writer, as another process would be.
    private final AtomicLong handles = new AtomicLong();

    /** Opens a handle on these sessions; its ports work until it is closed. */
    public Handle open() {
        return new Handle(data, handles.incrementAndGet());
    }

    /**
     * One open store on the storage. After {@link #close()} every call through its ports raises
     * {@link StorageException} with {@link Reason#CLOSED}, as a closed database store does; other
     * handles, and the sessions, are unaffected.
     */
    public static final class Handle implements StorageAdapter {

        private final AtomicBoolean closed = new AtomicBoolean();
        private final Persistence persistence;
        private final StorageDiagnostics diagnostics;
        private final StoreOperations operations;
        private final long origin;

        private Handle(InMemorySessionRepository data, long origin) {
            this.origin = origin;
            this.persistence = new Persistence(guard(SessionRepository.class, data), guard(LeaseRepository.class, data),
                    guard(ActivityRepository.class, data), guard(TranscriptRepository.class, data.transcripts()),
                    guard(ChangeFeed.class, data.changes().feedFor(origin)))
                    .withApprovals(guard(ApprovalRepository.class, data.inFlight().approvals()))
                    .withMessages(guard(InboxRepository.class, data.inFlight().inbox()),
                            guard(OutboxRepository.class, data.inFlight().outbox()));
            this.diagnostics = guard(StorageDiagnostics.class, data);
            this.operations = guard(StoreOperations.class, new InMemoryOperations(data));
        }

        @Override
        public Persistence persistence() {
            return persistence;
        }

        @Override
        public StorageDiagnostics diagnostics() {
            return diagnostics;
        }

        /** Pinning, purge, export and import and sizes; backup is refused (there is no file). */
        @Override
        public StoreOperations operations() {
            return operations;
        }

        public boolean isClosed() {
            return closed.get();
        }

        @Override
        public void close() {
            closed.set(true);
        }

        /** The port, refusing every call once this handle is closed (one check for all the ports' methods). */
        private <T> T guard(Class<T> port, T target) {
            return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
                if (method.getDeclaringClass() == Object.class) {
                    return switch (method.getName()) {
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> "in-memory " + port.getSimpleName();
                    };
                }
                if (closed.get()) {
                    throw new StorageException(Reason.CLOSED, null, "the in-memory store is closed");
                }
                // The changes the call makes are this handle's: its own listeners were told by the writer.
                return InMemoryChangeLog.as(origin, () -> {
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
            }));
        }
    }
}
