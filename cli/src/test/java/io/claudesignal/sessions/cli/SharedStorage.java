package io.claudesignal.sessions.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.claudesignal.sessions.adapters.inmemory.InMemorySessionRepository;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.bootstrap.ApplicationModule;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.bootstrap.StoreResources;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-memory storage that outlives the stores opened over it, the way a database file outlives the
 * processes that open it: every run of the CLI opens (and closes) its own store over the same
 * sessions. Records which databases were opened and how many stores were closed.
 */
final class SharedStorage implements StoreOpener {

    final InMemorySessionRepository repository = new InMemorySessionRepository();
    final List<Path> opened = new CopyOnWriteArrayList<>();
    final AtomicInteger closed = new AtomicInteger();
    private final int maxContextBytes;
    volatile StorageDiagnostics diagnostics = repository;

    SharedStorage() {
        this(ContextJson.DEFAULT_MAX_BYTES);
    }

    SharedStorage(int maxContextBytes) {
        this.maxContextBytes = maxContextBytes;
    }

    @Override
    public SessionStore open(Path db) {
        opened.add(db);
        return SessionStore.of(new ApplicationModule(maxContextBytes), new AbstractModule() {
            @Provides
            Persistence persistence() {
                return repository.persistence();
            }

            @Provides
            StorageDiagnostics storageDiagnostics() {
                return diagnostics;
            }

            @Provides
            StoreResources resources() {
                return closed::incrementAndGet;
            }
        });
    }
}
