package io.claudesignal.sessions.bootstrap;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.spi.Message;
import io.claudesignal.sessions.adapters.inmemory.InMemoryStorage;
import io.claudesignal.sessions.adapters.postgres.PostgresSettings;
import io.claudesignal.sessions.adapters.postgres.PostgresStorage;
import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.adapters.sqlite.SqliteStorage;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.Approvals;
import io.claudesignal.sessions.application.port.in.Leases;
import io.claudesignal.sessions.application.port.in.Maintenance;
import io.claudesignal.sessions.application.service.LeaseHeartbeat;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.port.in.Inbox;
import io.claudesignal.sessions.application.port.in.Outbox;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.application.port.out.StorageAdapter;
import io.claudesignal.sessions.application.port.out.StorageFactory;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionsException;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A ready-to-use session store: the ports ({@link #sessions()}, {@link #leases()},
 * {@link #maintenance()}) over one open storage, and, with a daemon's configuration, the heartbeat
 * that keeps the daemon's leases alive until the store is closed.
 *
 * <pre>{@code
 * try (SessionStore store = SessionStore.inMemory()) {
 *     Sessions sessions = store.sessions();
 *     Session s = sessions.create("/home/ana/code/webapp", "+15551234567");
 *     sessions.activate(s.id());
 * }
 * }</pre>
 *
 * <p>{@link #open(String, SessionsConfig)} opens a file path or a PostgreSQL URL through whichever
 * adapter recognises it; {@link #open(StorageAdapter, SessionsConfig)} takes a storage the caller opened
 * with its own settings. The other factories are shorthands for those two.
 *
 * <p>Thread-safe; open one per database and share it. Guice users install {@link ApplicationModule}
 * and one {@link StorageModule}; the injector then holds one {@code SessionStore}, made (storage opened,
 * heartbeat started) when the injector is, which they close to release the storage.
 *
 * <p>PostgreSQL ({@link #openPostgres}, {@link PostgresModule}) needs
 * {@code io.claudesignal.sessions:sessions-adapters-postgres} beside {@code sessions-bootstrap}, which
 * does not bring it; without it {@code openPostgres} raises a {@link StorageException} saying so.
 */
public final class SessionStore implements AutoCloseable {

    private static final String POSTGRES_ADAPTER = "io.claudesignal.sessions.adapters.postgres.PostgresStorage";

    private final Sessions sessions;
    private final Maintenance maintenance;
    private final Leases leases;
    private final Transcripts transcripts;
    private final Approvals approvals;
    private final Inbox inbox;
    private final Outbox outbox;
    private final SessionsConfig config;
    private final StoreResources resources;
    private final LeaseHeartbeat heartbeat;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Made by {@link StoreAssembly}, which every way of opening a store goes through. */
    SessionStore(Sessions sessions, Maintenance maintenance, Leases leases, Transcripts transcripts,
            Approvals approvals, Inbox inbox, Outbox outbox, SessionsConfig config, StoreResources resources) {
        this.sessions = sessions;
        this.maintenance = maintenance;
        this.leases = leases;
        this.transcripts = transcripts;
        this.approvals = approvals;
        this.inbox = inbox;
        this.outbox = outbox;
        this.config = config;
        this.resources = resources;
        // Only a daemon holds leases; the CLI's short runs have nothing to renew.
        this.heartbeat = config.actor().isDaemon() ? LeaseHeartbeat.start(leases, config.heartbeatInterval()) : null;
    }

    /**
     * A store at {@code location}: a file path (SQLite, created if absent) or a PostgreSQL URL
     * ({@code jdbc:postgresql://…}, {@code postgresql://…}, {@code postgres://…}), opened by whichever
     * adapter on the class path recognises it ({@link StorageFactory}), with its default settings.
     *
     * @throws InvalidInputException when no adapter recognises {@code location}, or it is malformed
     * @throws StorageException      when the storage cannot be opened
     */
    public static SessionStore open(String location, SessionsConfig config) {
        return open(location, Map.of(), config);
    }

    /**
     * As {@link #open(String, SessionsConfig)}, with the adapter's settings by name for what the location
     * cannot carry (SQLite: {@code allowForeignOwner}; a PostgreSQL URL carries its own, and takes none here).
     */
    public static SessionStore open(String location, Map<String, String> settings, SessionsConfig config) {
        Objects.requireNonNull(config, "config"); // before anything is opened
        return StoreAssembly.open(StorageLocations.open(location, settings, StoreMetrics.NONE), config, StoreMetrics.NONE);
    }

    /** As {@link #open(String, Map, SessionsConfig)}, with the store's meters (and the adapter's) in {@code registry}. */
    public static SessionStore open(String location, Map<String, String> settings, SessionsConfig config,
            MeterRegistry registry) {
        Objects.requireNonNull(config, "config");
        StoreMetrics metrics = new MicrometerStoreMetrics(Objects.requireNonNull(registry, "registry"));
        return StoreAssembly.open(StorageLocations.open(location, settings, metrics), config, metrics);
    }

    /**
     * A store over {@code adapter}, opened by the caller (any adapter's {@code open(…)}, with its own
     * settings); the store owns it from now on and closes it when it is closed, or at once if this fails.
     */
    public static SessionStore open(StorageAdapter adapter, SessionsConfig config) {
        return StoreAssembly.open(adapter, config, StoreMetrics.NONE);
    }

    /**
     * As {@link #open(StorageAdapter, SessionsConfig)}, with the store's meters in {@code registry}
     * (docs/metrics.md). Needs {@code io.micrometer:micrometer-core}; the overloads without a registry
     * load nothing of it.
     */
    public static SessionStore open(StorageAdapter adapter, SessionsConfig config, MeterRegistry registry) {
        return StoreAssembly.open(adapter, config, new MicrometerStoreMetrics(Objects.requireNonNull(registry, "registry")));
    }

    /** A store that keeps sessions in memory until it is closed or the process ends, as the CLI would write. */
    public static SessionStore inMemory() {
        return inMemory(SessionsConfig.cli());
    }

    /**
     * A store in memory for the handle {@code config} describes: with {@link SessionsConfig#daemon()} it
     * claims and renews leases as a daemon on a database would, so a daemon's behaviour can be tested
     * without a disk.
     */
    public static SessionStore inMemory(SessionsConfig config) {
        return inMemory(new InMemoryStorage(), config);
    }

    /**
     * A store on {@code storage}, which outlives it: close the store and open another on the same
     * storage to test what a restart does (the sessions, their history and leases are still there).
     */
    public static SessionStore inMemory(InMemoryStorage storage, SessionsConfig config) {
        return open(storage.open(), config);
    }

    /** As {@link #inMemory(InMemoryStorage, SessionsConfig)}, with the store's meters in {@code registry}. */
    public static SessionStore inMemory(InMemoryStorage storage, SessionsConfig config, MeterRegistry registry) {
        return open(storage.open(), config, registry);
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
        return openSqlite(file, settings, SessionsConfig.cli());
    }

    /**
     * A store on the SQLite database at {@code file}, for the handle {@code config} describes. With a
     * daemon's config ({@link SessionsConfig#daemon()}) the store renews the daemon's leases every
     * heartbeat interval until it is closed:
     *
     * <pre>{@code
     * try (SessionStore store = SessionStore.openSqlite(file, SqliteSettings.defaults(), SessionsConfig.daemon("webapp"))) {
     *     for (SessionId id : store.sessions().recover()) { // this name's previous run: at once; others': once expired
     *         Session s = store.sessions().resume(id);
     *         store.leases().claim(s.id());               // this daemon runs it; its writes are fenced
     *     }
     * }
     * }</pre>
     *
     * Opening as a daemon starts a new incarnation of its name and fences the older ones (see
     * {@code docs/leases.md}); it is refused with a
     * {@link io.claudesignal.sessions.domain.DaemonRunningException} while another live process runs
     * under the same name on this file.
     */
    public static SessionStore openSqlite(Path file, SqliteSettings settings, SessionsConfig config) {
        Objects.requireNonNull(config, "config");
        return open(SqliteStorage.open(file, settings), config);
    }

    /**
     * As {@link #openSqlite(Path, SqliteSettings, SessionsConfig)}, with the store's meters in
     * {@code registry} (docs/metrics.md). Needs {@code io.micrometer:micrometer-core} on the class path;
     * the other overloads load nothing of it.
     */
    public static SessionStore openSqlite(Path file, SqliteSettings settings, SessionsConfig config,
            MeterRegistry registry) {
        Objects.requireNonNull(config, "config");
        StoreMetrics metrics = new MicrometerStoreMetrics(Objects.requireNonNull(registry, "registry"));
        return StoreAssembly.open(SqliteStorage.open(file, settings, metrics), config, metrics);
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
        requirePostgresAdapter();
        return openPostgres(url, PostgresSettings.defaults());
    }

    public static SessionStore openPostgres(String url, PostgresSettings settings) {
        return openPostgres(url, settings, SessionsConfig.cli());
    }

    /**
     * A store on the PostgreSQL database at {@code url}, for the handle {@code config} describes; with a
     * daemon's config its leases are renewed every heartbeat interval until it is closed, as with
     * {@link #openSqlite(Path, SqliteSettings, SessionsConfig)}. Each daemon sharing the database opens
     * its own, under its own {@link SessionsConfig#daemon()} identity; {@code recover()} then pauses only
     * the sessions of daemons whose leases expired.
     */
    public static SessionStore openPostgres(String url, PostgresSettings settings, SessionsConfig config) {
        requirePostgresAdapter();
        Objects.requireNonNull(config, "config");
        return open(PostgresStorage.open(url, settings), config);
    }

    /** As {@link #openPostgres(String, PostgresSettings, SessionsConfig)}, with the store's meters in {@code registry}. */
    public static SessionStore openPostgres(String url, PostgresSettings settings, SessionsConfig config,
            MeterRegistry registry) {
        requirePostgresAdapter();
        Objects.requireNonNull(config, "config");
        return open(PostgresStorage.open(url, settings), config, registry);
    }

    /**
     * {@code sessions-bootstrap} compiles against the PostgreSQL adapter without passing it on; an
     * embedder who did not add it gets this instead of a {@code NoClassDefFoundError}.
     */
    private static void requirePostgresAdapter() {
        for (String name : new String[] {POSTGRES_ADAPTER, "org.postgresql.Driver", "com.zaxxer.hikari.HikariDataSource"}) {
            try {
                Class.forName(name, false, SessionStore.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new StorageException(Reason.UNAVAILABLE, null, "PostgreSQL needs the artifact "
                        + "io.claudesignal.sessions:sessions-adapters-postgres beside sessions-bootstrap (" + name
                        + " is not on the class path)", e);
            }
        }
    }

    /**
     * A store from an application module and one adapter module, for configurations the factory
     * methods do not cover.
     *
     * @throws StorageException when the adapter cannot open its storage
     */
    public static SessionStore of(Module application, Module adapter) {
        return createInjector(application, adapter).getInstance(SessionStore.class);
    }

    /**
     * {@code Guice.createInjector(modules)}, with this library's typed errors: the modules include
     * {@link ApplicationModule} and one adapter module, so the storage is opened here, and a damaged,
     * foreign, newer or unreadable database raises its {@link StorageException} (any
     * {@link SessionsException}) itself rather than Guice's {@code CreationException} around it.
     * {@code injector.getInstance(SessionStore.class).close()} closes what it opened.
     *
     * @throws SessionsException when opening the storage fails for a reason the library knows
     */
    public static Injector createInjector(Module... modules) {
        try {
            return Guice.createInjector(modules);
        } catch (ProvisionException | CreationException e) {
            throw unwrap(e);
        }
    }

    /**
     * Guice wraps what a provider throws; callers are promised this library's own typed errors, so the
     * first one among the causes Guice collected is rethrown as it is.
     */
    static RuntimeException unwrap(RuntimeException guiceError) {
        List<Throwable> causes = new ArrayList<>();
        causes.add(guiceError);
        Collection<Message> messages = guiceError instanceof CreationException c ? c.getErrorMessages()
                : guiceError instanceof ProvisionException p ? p.getErrorMessages() : List.of();
        messages.forEach(m -> causes.add(m.getCause()));
        for (Throwable cause : causes) {
            for (Throwable t = cause; t != null; t = t.getCause()) {
                if (t instanceof SessionsException typed) {
                    return typed;
                }
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

    /**
     * The sessions' conversation transcripts, through the same handle as {@link #sessions()}: fenced
     * by its leases, told to its listeners.
     */
    public Transcripts transcripts() {
        return transcripts;
    }

    /**
     * What Claude asks permission for, through the same handle as {@link #sessions()}: a request is
     * fenced by its leases; requests and decisions (from any process) are told to its listeners.
     */
    public Approvals approvals() {
        return approvals;
    }

    /**
     * The sessions' messages from the person, through the same handle: {@code next} and {@code done}
     * fenced by its leases (docs/messages.md).
     */
    public Inbox inbox() {
        return inbox;
    }

    /** The replies waiting to be sent, and the senders' side of them (docs/messages.md). */
    public Outbox outbox() {
        return outbox;
    }

    /** This handle's configuration; a daemon's default name ({@link SessionsConfig#daemon()}) as the store completed it. */
    public SessionsConfig config() {
        return config;
    }

    /**
     * Stops the lease heartbeat (a daemon's leases then expire unless released) and releases the
     * storage's connections and threads; the sessions it returned stay valid values. Closing twice is
     * harmless.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (heartbeat != null) {
                heartbeat.close();
            }
            if (sessions instanceof AutoCloseable following) {
                closeQuietly(following); // the change-feed thread, before the connections it reads through
            }
            resources.close();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the change feed failed", e);
        }
    }
}
