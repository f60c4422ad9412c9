package io.claudesignal.sessions.bootstrap;

import io.claudesignal.sessions.adapters.inmemory.InMemoryStorage;
import io.claudesignal.sessions.application.port.out.StorageAdapter;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import java.util.Objects;

/**
 * Stores sessions in memory: for tests and disk-less embedding. With an {@link InMemoryStorage} of the
 * caller's, the sessions outlive the store (close it, open another on the same storage: a restart);
 * without one, nothing survives the store.
 */
public final class InMemoryModule extends StorageModule {

    private final InMemoryStorage storage;

    public InMemoryModule() {
        this(new InMemoryStorage());
    }

    public InMemoryModule(InMemoryStorage storage) {
        this.storage = Objects.requireNonNull(storage, "storage");
    }

    @Override
    protected StorageAdapter open(StoreMetrics metrics) {
        return storage.open();
    }
}
