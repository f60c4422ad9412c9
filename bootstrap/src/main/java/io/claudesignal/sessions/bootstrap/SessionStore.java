package io.claudesignal.sessions.bootstrap;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import io.claudesignal.sessions.adapters.postgres.PostgresSettings;
import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.Leases;
import io.claudesignal.sessions.application.port.in.Maintenance;
import io.claudesignal.sessions.application.service.LeaseHeartbeat;
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
    private final Leases leases;
    private final SessionsConfig config;
    private final LeaseHeartbeat heartbeat;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SessionStore(Injector injector) {
        this.injector = injector;
        this.sessions = injector.getInstance(Sessions.class);
        this.maintenance = injector.getInstance(Maintenance.class);
        this.leases = injector.getInstance(Leases.class);
        this.config = injector.getInstance(SessionsConfig.class);
        // Only a daemon holds leases; the CLI's short runs have nothing to renew.
        this.heartbeat = config.actor().isDaemon() ? LeaseHeartbeat.start(leases, config.heartbeatInterval()) : null;
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
     * A store on the SQLite database at {@code file}, for the handle {@code config} describes. With a
     * daemon's config ({@link SessionsConfig#daemon()}) the store renews the daemon's leases every
     * heartbeat interval until it is closed:
     *
     * <pre>{@code
     * try (SessionStore store = SessionStore.openSqlite(file, SqliteSettings.defaults(), SessionsConfig.daemon())) {
     *     store.sessions().recover();                 // sessions of a daemon that died: now PAUSED
     *     Session s = store.sessions().resume(id);
     *     store.leases().claim(s.id());               // this daemon runs it; its writes are fenced
     * }
     * }</pre>
     */
    public static SessionStore openSqlite(Path file, SqliteSettings settings, SessionsConfig config) {
        return of(new ApplicationModule(config), new SqliteModule(file, settings));
    }

    /**
     * A store on the PostgreSQL database at {@code url} ({@code jdbc:postgresql://host:5432/db?user=u}
     * or {@code postgresql://u@host:5432/db}), in the schema {@value PostgresSettings#DEFAULT_SCHEMA},
     * created or migrated as needed. Several daemons, on one host or many, may share it.
     *
     * @throws StorageException when the server cannot be reached or refuses the login, does not make
     *                          commits durable ({@code synchronous_commit = off}), or holds a schema
     *                          that is newer than this library or not ours
     */
    public static SessionStore openPostgres(String url) {
        return openPostgres(url, PostgresSettings.defaults());
    }

    public static SessionStore openPostgres(String url, PostgresSettings settings) {
        return of(new ApplicationModule(), new PostgresModule(url, settings));
    }

    /**
     * A store on the PostgreSQL database at {@code url}, for the handle {@code config} describes; with a
     * daemon's config its leases are renewed every heartbeat interval until it is closed, as with
     * {@link #openSqlite(Path, SqliteSettings, SessionsConfig)}. Each daemon sharing the database opens
     * its own, under its own {@link SessionsConfig#daemon()} identity; {@code recover()} then pauses only
     * the sessions of daemons whose leases expired.
     */
    public static SessionStore openPostgres(String url, PostgresSettings settings, SessionsConfig config) {
        return of(new ApplicationModule(config), new PostgresModule(url, settings));
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

    /** The leases of this handle's actor: a daemon claims the sessions it runs here. */
    public Leases leases() {
        return leases;
    }

    public SessionsConfig config() {
        return config;
    }

    /** Releases the store's connections and threads; the sessions it returned stay valid values. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (heartbeat != null) {
                heartbeat.close();
            }
            injector.getInstance(StoreResources.class).close();
        }
    }
}
