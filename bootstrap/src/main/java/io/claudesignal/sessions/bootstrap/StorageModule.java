package io.claudesignal.sessions.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.StorageAdapter;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import java.util.Map;
import java.util.Objects;

/**
 * The adapter half of an injector: one {@link StorageAdapter}, opened when the injector is made, and
 * the parts {@link ApplicationModule} builds the store from, provided here once for every adapter (they
 * were three copies of the same four methods). {@link SqliteModule}, {@link PostgresModule} and
 * {@link InMemoryModule} only say how to open their storage; {@link #at(String, Map)} opens whatever
 * adapter on the class path recognises a location.
 */
public abstract class StorageModule extends AbstractModule {

    /** Opens the storage; called once, when the injector is made, with the metrics bound beside it. */
    protected abstract StorageAdapter open(StoreMetrics metrics);

    /**
     * The storage at {@code location} (a file path, a PostgreSQL URL), opened by the adapter that
     * recognises it, as {@link SessionStore#open(String, Map, io.claudesignal.sessions.application.SessionsConfig)}.
     */
    public static StorageModule at(String location, Map<String, String> settings) {
        Objects.requireNonNull(location, "location");
        Map<String, String> copy = Map.copyOf(settings);
        return new StorageModule() {
            @Override
            protected StorageAdapter open(StoreMetrics metrics) {
                return StorageLocations.open(location, copy, metrics);
            }
        };
    }

    @Provides
    @Singleton
    final StorageAdapter storage(StoreMetrics metrics) {
        return Objects.requireNonNull(open(metrics), "open returned null");
    }

    @Provides
    final Persistence persistence(StorageAdapter storage) {
        return storage.persistence();
    }

    @Provides
    final StorageDiagnostics diagnostics(StorageAdapter storage) {
        return storage.diagnostics();
    }

    @Provides
    final StoreOperations operations(StorageAdapter storage) {
        return storage.operations();
    }

    @Provides
    final StoreResources resources(StorageAdapter storage) {
        return storage::close;
    }
}
