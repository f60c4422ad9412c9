package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.adapters.jdbc.SqlChangeLog;
import io.claudesignal.sessions.adapters.jdbc.SqlDaemonNames;
import io.claudesignal.sessions.adapters.jdbc.SqlInbox;
import io.claudesignal.sessions.adapters.jdbc.SqlOperations;
import io.claudesignal.sessions.adapters.jdbc.SqlOutbox;
import io.claudesignal.sessions.adapters.jdbc.SqlRules;
import io.claudesignal.sessions.adapters.jdbc.SqlSessions;
import io.claudesignal.sessions.adapters.jdbc.SqlTranscripts;
import io.claudesignal.sessions.adapters.jdbc.QuietLibraries;
import io.claudesignal.sessions.domain.NewerSchemaException;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.SessionRepository;
import io.claudesignal.sessions.application.port.out.StorageAdapter;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import io.claudesignal.sessions.domain.InvalidInputException;
import java.util.Objects;
import java.util.Set;

/**
 * A sessions database on a PostgreSQL server: the adapter's public face. Several daemons, on one host
 * or many, share it safely; each status change, lease and log entry is one transaction on the server.
 * {@link #open} checks that the server makes commits durable, refuses a schema newer than this code,
 * and creates or migrates the schema.
 *
 * <p>Thread-safe; holds a connection pool until {@link #close()}.
 */
public final class PostgresStorage implements StorageAdapter {

    static {
        QuietLibraries.apply();
    }

    /** URL parameters of ours, for the server timeouts of {@link PostgresSettings}; the driver never sees them. */
    static final String LOCK_TIMEOUT = "lockTimeout";
    static final String STATEMENT_TIMEOUT = "statementTimeout";
    static final String IDLE_IN_TRANSACTION_TIMEOUT = "idleInTransactionTimeout";

    private final PostgresDatabase db;
    private final SqlSessions repository;
    private final SqlTranscripts transcripts;
    private final SqlInbox inbox;
    private final SqlOutbox outbox;
    private final PostgresDiagnostics diagnostics;
    private final SqlOperations operations;
    private final SqlDaemonNames daemonNames;

    private PostgresStorage(PostgresDatabase db, PostgresSettings settings) {
        this.db = db;
        PostgresDialect dialect = PostgresDialect.of(db);
        this.daemonNames = new SqlDaemonNames(new PostgresNameLocks(db.url(), settings.schema()));
        SqlChangeLog changes = new SqlChangeLog(db, dialect, () -> new PostgresWatch(db, settings.schema()));
        this.repository = new SqlSessions(db, dialect, daemonNames, changes);
        SqlRules rules = new SqlRules(dialect);
        this.transcripts = new SqlTranscripts(db, rules, changes);
        this.inbox = new SqlInbox(db, rules, changes);
        this.outbox = new SqlOutbox(db, rules, changes);
        this.diagnostics = new PostgresDiagnostics(db, settings);
        this.operations = new SqlOperations(db, dialect, PostgresDialect::refuseBackup);
    }

    /**
     * Opens the database at {@code url}: {@code jdbc:postgresql://host:5432/db?user=u}, or
     * {@code postgresql://u@host:5432/db} (libpq's form, also {@code postgres://}). A
     * {@code currentSchema=name} parameter in the URL chooses the schema, over {@code settings}; so do
     * {@code lockTimeout}, {@code statementTimeout} and {@code idleInTransactionTimeout} (durations such
     * as {@code 1s} or {@code 500ms}) for the server timeouts.
     *
     * @throws InvalidInputException when {@code url} is not a PostgreSQL URL
     * @throws NewerSchemaException  when the schema was written by a newer version of this library
     * @throws StorageException      when the server cannot be reached, refuses the login, does not make
     *                               commits durable ({@code synchronous_commit = off}), or the schema
     *                               holds tables that are not ours
     */
    public static PostgresStorage open(String url, PostgresSettings settings) {
        Objects.requireNonNull(settings, "settings");
        PostgresUrl parsed = PostgresUrl.parse(url);
        // The URL's currentSchema and timeouts, when it has them, win over the settings (the CLI has
        // no other way to set them).
        PostgresSettings effective = parsed.currentSchema().map(settings::withSchema).orElse(settings);
        effective = parsed.duration(LOCK_TIMEOUT).map(effective::withLockTimeout).orElse(effective);
        effective = parsed.duration(STATEMENT_TIMEOUT).map(effective::withStatementTimeout).orElse(effective);
        effective = parsed.duration(IDLE_IN_TRANSACTION_TIMEOUT).map(effective::withIdleInTransactionTimeout)
                .orElse(effective);
        PostgresDatabase db = PostgresDatabase.open(
                parsed.without(Set.of(LOCK_TIMEOUT, STATEMENT_TIMEOUT, IDLE_IN_TRANSACTION_TIMEOUT)), effective);
        try {
            PostgresSchema.prepare(db, effective);
            return new PostgresStorage(db, effective);
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
        return text != null && PostgresUrl.isPostgres(text);
    }

    /** The database, as a JDBC URL without its password. */
    public String url() {
        return db.url().toString();
    }

    public SessionRepository repository() {
        return repository;
    }

    /** The sessions, leases and activity-log ports, all over this database. */
    @Override
    public Persistence persistence() {
        return repository.persistence(transcripts).withMessages(inbox, outbox);
    }

    @Override
    public StorageDiagnostics diagnostics() {
        return diagnostics;
    }

    /** Pinning, purge, export and import and sizes over this schema; backup is refused (use pg_dump). */
    @Override
    public StoreOperations operations() {
        return operations;
    }

    PostgresDatabase databaseForTests() {
        return db;
    }

    @Override
    public void close() {
        try {
            db.close();
        } finally {
            daemonNames.close(); // after the pool: a successor must not start under a live handle
        }
    }
}
