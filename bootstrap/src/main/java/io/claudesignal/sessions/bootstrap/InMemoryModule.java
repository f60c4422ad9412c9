package io.claudesignal.sessions.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.claudesignal.sessions.adapters.inmemory.InMemoryStorage;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import java.util.Objects;

/**
 * Stores sessions in memory: for tests and disk-less embedding. With an {@link InMemoryStorage} of the
 * caller's, the sessions outlive the store (close it, open another on the same storage: a restart);
 * without one, nothing survives the store.
 */
public final class InMemoryModule extends AbstractModule {

    private final InMemoryStorage storage;

    public InMemoryModule() {
        this(new InMemoryStorage());
    }

    public InMemoryModule(InMemoryStorage storage) {
        this.storage = Objects.requireNonNull(storage, "storage");
    }

    @Provides
    @Singleton
    InMemoryStorage.Handle handle() {
        return storage.open();
    }

    @Provides
    Persistence persistence(InMemoryStorage.Handle handle) {
        return handle.persistence();
    }

    @Provides
    StorageDiagnostics diagnostics(InMemoryStorage.Handle handle) {
        return handle.diagnostics();
    }

    @Provides
    StoreOperations operations(InMemoryStorage.Handle handle) {
        return handle.operations();
    }

    @Provides
    StoreResources resources(InMemoryStorage.Handle handle) {
        return handle::close;
    }
}
