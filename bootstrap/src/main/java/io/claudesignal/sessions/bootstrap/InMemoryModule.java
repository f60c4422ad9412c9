package io.claudesignal.sessions.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.claudesignal.sessions.adapters.inmemory.InMemorySessionRepository;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;

/** Stores sessions in memory: nothing survives the process. For tests and disk-less embedding. */
public final class InMemoryModule extends AbstractModule {

    @Provides
    @Singleton
    InMemorySessionRepository store() {
        return new InMemorySessionRepository();
    }

    @Provides
    Persistence persistence(InMemorySessionRepository store) {
        return store.persistence();
    }

    @Provides
    StorageDiagnostics diagnostics(InMemorySessionRepository store) {
        return store;
    }

    @Provides
    StoreResources resources() {
        return () -> { };
    }
}
