package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.adapters.jdbc.QuietLibraries;
import io.claudesignal.sessions.adapters.jdbc.SqlPorts;
import io.claudesignal.sessions.adapters.jdbc.UrlParameters;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.SessionRepository;
import io.claudesignal.sessions.application.port.out.StorageAdapter;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
import io.claudesignal.sessions.application.port.out.StorageFactory;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.NewerSchemaException;
import io.claudesignal.sessions.domain.StorageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Set;

/**
 * A sessions database on a PostgreSQL server: the adapter's public face. Several daemons, on one host
 * or many, share it safely; each status change, lease and log entry is one transaction on the server.
 *
 * <p>Thread-safe; holds a connection pool until {@link #close()}.
 */
public final class PostgresStorage implements StorageAdapter {

    static {
        QuietLibraries.apply();
    }

    /** URL parameters of ours, for the server timeouts of {@link PostgresSettings}; the driver never sees them. */
    private static final Set<String> TIMEOUTS = Set.of("lockTimeout", "statementTimeout", "idleInTransactionTimeout");
    /** The driver's parameter for start-up options; the store puts its server timeouts there. */
    private static final String OPTIONS = "options";

    private final PostgresDatabase db;
    private final SqlPorts ports;
    private final PostgresSchema diagnostics;

    private PostgresStorage(PostgresDatabase db) {
        this.db = db;
        this.ports = new SqlPorts(db, new PostgresDialect(db.settings()), new PostgresNameLocks(db),
                () -> new PostgresWatch(db), PostgresDialect::refuseBackup);
        this.diagnostics = new PostgresSchema(db);
    }

    /**
     * Opens the database at {@code url}: {@code jdbc:postgresql://host:5432/db?user=u}, or
     * {@code postgresql://u@host:5432/db} (libpq's form, also {@code postgres://}). The URL's
     * {@code currentSchema=name} chooses the schema over {@code settings}, and so do {@code lockTimeout},
     * {@code statementTimeout} and {@code idleInTransactionTimeout} (durations such as {@code 1s} or
     * {@code 500ms}) for the server timeouts: the CLI has no other way to set them.
     *
     * @throws InvalidInputException when {@code url} is not a PostgreSQL URL
     * @throws NewerSchemaException  when the schema was written by a newer version of this library
     * @throws StorageException      when the server cannot be reached, refuses the login, does not make
     *                               commits durable ({@code synchronous_commit = off}), or the schema
     *                               holds tables that are not ours
     */
    public static PostgresStorage open(String url, PostgresSettings settings) {
        Objects.requireNonNull(settings, "settings");
        String jdbc = jdbcUrl(url);
        PostgresSettings effective = UrlParameters.get(jdbc, "currentSchema").map(settings::withSchema).orElse(settings);
        effective = UrlParameters.duration(jdbc, "lockTimeout").map(effective::withLockTimeout).orElse(effective);
        effective = UrlParameters.duration(jdbc, "statementTimeout").map(effective::withStatementTimeout)
                .orElse(effective);
        effective = UrlParameters.duration(jdbc, "idleInTransactionTimeout")
                .map(effective::withIdleInTransactionTimeout).orElse(effective);
        PostgresDatabase db = PostgresDatabase.open(UrlParameters.without(jdbc, TIMEOUTS), effective);
        try {
            PostgresSchema.prepare(db);
            return new PostgresStorage(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public static PostgresStorage open(String url) {
        return open(url, PostgresSettings.defaults());
    }

    /** True when {@code text} names a PostgreSQL database ({@code jdbc:postgresql:}, {@code postgresql://}, {@code postgres://}). */
    public static boolean isPostgresUrl(String text) {
        return PostgresStorageFactory.isPostgres(text);
    }

    /** The database, as a JDBC URL without its password. */
    public String url() {
        return db.toString();
    }

    public SessionRepository repository() {
        return ports.repository();
    }

    @Override
    public Persistence persistence() {
        return ports.persistence();
    }

    @Override
    public StorageDiagnostics diagnostics() {
        return diagnostics;
    }

    /** Pinning, purge, export and import and sizes over this schema; backup is refused (use pg_dump). */
    @Override
    public StoreOperations operations() {
        return ports.operations();
    }

    PostgresDatabase databaseForTests() {
        return db;
    }

    @Override
    public void close() {
        ports.close(db::close);
    }

    /**
     * {@code text} as a JDBC URL: the libpq form's user and password become parameters.
     *
     * @throws InvalidInputException when {@code text} is neither form
     */
    static String jdbcUrl(String text) {
        Objects.requireNonNull(text, "url");
        if (text.regionMatches(true, 0, "jdbc:postgresql:", 0, 16)) {
            return text;
        } else if (!isPostgresUrl(text)) {
            throw new InvalidInputException("db", "not a PostgreSQL URL (jdbc:postgresql://… or postgresql://…): "
                    + redact(text));
        }
        try {
            URI uri = new URI(text);
            if (uri.getHost() == null) {
                throw new InvalidInputException("db", "no host in " + redact(text));
            }
            String query = Objects.requireNonNullElse(uri.getRawQuery(), "");
            String jdbc = "jdbc:postgresql://" + uri.getRawAuthority().replaceFirst(".*@", "")
                    + (uri.getRawPath() == null ? "/" : uri.getRawPath()) + (query.isEmpty() ? "" : "?" + query);
            String userInfo = uri.getRawUserInfo();
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                jdbc = UrlParameters.with(jdbc, "user", UrlParameters.decode(colon < 0 ? userInfo
                        : userInfo.substring(0, colon)));
                jdbc = colon < 0 ? jdbc : UrlParameters.with(jdbc, "password",
                        UrlParameters.decode(userInfo.substring(colon + 1)));
            }
            return jdbc;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new InvalidInputException("db", "not a valid PostgreSQL URL: " + redact(text));
        }
    }

    /**
     * {@code jdbc} with {@code options} (the server's command-line options, such as {@code -c
     * lock_timeout=5000}) sent at connection start-up, before any the URL had, so that the URL's own win.
     */
    static String withStartupOptions(String jdbc, String options) {
        String merged = UrlParameters.get(jdbc, OPTIONS).map(own -> options + " " + own).orElse(options);
        return UrlParameters.with(UrlParameters.without(jdbc, Set.of(OPTIONS)), OPTIONS, merged);
    }

    /** {@code text} with any password replaced, fit for messages and logs. */
    static String redact(String text) {
        return StorageFactory.redact(text);
    }

    /** {@code jdbc} without a password, and without the start-up options, which would make every message long. */
    static String describe(String jdbc) {
        return redact(UrlParameters.without(jdbc, Set.of(OPTIONS)));
    }
}
