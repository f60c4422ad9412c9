package io.claudesignal.sessions.bootstrap;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.application.StorageException;
import io.claudesignal.sessions.application.port.in.Maintenance;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.domain.SessionsException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A ready-to-use session store for embedders who do not use Guice themselves.
 *
 * <pre>{@code
 * try (SessionStore store = SessionStore.inMemory()) {
 *     Sessions sessions = store.sessions();
 *     Session s = sessions.create("/home/ana/code/webapp", "+15551234567");
 *     sessions.activate(s.id());
 * }
 * }</pre>
 *
 * <p>Thread-safe; open one per database and share it. Guice users install {@link ApplicationModule}
 * and one adapter module instead.
 */
public final class SessionStore implements AutoCloseable {

    private final Injector injector;
    private final Sessions sessions;
    private final Maintenance maintenance;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SessionStore(Injector injector) {
        this.injector = injector;
        this.sessions = injector.getInstance(Sessions.class);
        this.maintenance = injector.getInstance(Maintenance.class);
    }

    /** A store that keeps sessions in memory until it is closed or the process ends. */
    public static SessionStore inMemory() {
        return of(new ApplicationModule(), new InMemoryModule());
    }

    /**
     * A store on the SQLite database at {@code file}, created (owner-only) if it does not exist,
     * with the durable defaults of {@link SqliteSettings#defaults()}.
     *
     * @throws StorageException when the file is damaged, not a sessions database, newer than this
     *                          library, or cannot be read and written; the file is left untouched
     */
    public static SessionStore openSqlite(Path file) {
        return openSqlite(file, SqliteSettings.defaults());
    }

    public static SessionStore openSqlite(Path file, SqliteSettings settings) {
        return of(new ApplicationModule(), new SqliteModule(file, settings));
    }

    /**
     * A store from an application module and one adapter module, for configurations the factory
     * methods do not cover.
     *
     * @throws StorageException when the adapter cannot open its storage
     */
    public static SessionStore of(Module application, Module adapter) {
        try {
            return new SessionStore(Guice.createInjector(application, adapter));
        } catch (ProvisionException | CreationException e) {
            throw unwrap(e);
        }
    }

    /**
     * Guice wraps what a provider throws; callers are promised this library's own typed errors, so the
     * first one in the cause chain is rethrown as it is.
     */
    static RuntimeException unwrap(RuntimeException guiceError) {
        for (Throwable t = guiceError; t != null; t = t.getCause()) {
            if (t instanceof SessionsException typed) {
                return typed;
            }
        }
        return guiceError;
    }

    public Sessions sessions() {
        return sessions;
    }

    public Maintenance maintenance() {
        return maintenance;
    }

    /** Releases the store's connections and threads; the sessions it returned stay valid values. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            injector.getInstance(StoreResources.class).close();
        }
    }
}
