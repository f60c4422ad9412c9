package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.adapters.jdbc.QuietLibraries;
import io.claudesignal.sessions.adapters.jdbc.SqlChangeLog;
import io.claudesignal.sessions.adapters.jdbc.SqlDaemonNames;
import io.claudesignal.sessions.adapters.jdbc.SqlInbox;
import io.claudesignal.sessions.adapters.jdbc.SqlOperations;
import io.claudesignal.sessions.adapters.jdbc.SqlOutbox;
import io.claudesignal.sessions.adapters.jdbc.SqlRules;
import io.claudesignal.sessions.adapters.jdbc.SqlSessions;
import io.claudesignal.sessions.adapters.jdbc.SqlTranscripts;
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
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
    /** The driver's parameter for start-up options; the store puts its server timeouts there. */
    private static final String OPTIONS = "options";
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|min|h)?");

    private final PostgresDatabase db;
    private final SqlSessions repository;
    private final SqlTranscripts transcripts;
    private final SqlInbox inbox;
    private final SqlOutbox outbox;
    private final PostgresSchema diagnostics;
    private final SqlOperations operations;
    private final SqlDaemonNames daemonNames;

    private PostgresStorage(PostgresDatabase db) {
        this.db = db;
        PostgresDialect dialect = PostgresDialect.of(db.settings());
        this.daemonNames = new SqlDaemonNames(new PostgresNameLocks(db));
        SqlChangeLog changes = new SqlChangeLog(db, dialect, () -> new PostgresWatch(db));
        this.repository = new SqlSessions(db, dialect, daemonNames, changes);
        SqlRules rules = new SqlRules(dialect);
        this.transcripts = new SqlTranscripts(db, rules, changes);
        this.inbox = new SqlInbox(db, rules, changes);
        this.outbox = new SqlOutbox(db, rules, changes);
        this.diagnostics = new PostgresSchema(db);
        this.operations = new SqlOperations(db, dialect, PostgresDialect::refuseBackup);
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
        PostgresSettings effective = parameter(jdbc, "currentSchema").map(settings::withSchema).orElse(settings);
        effective = duration(jdbc, LOCK_TIMEOUT).map(effective::withLockTimeout).orElse(effective);
        effective = duration(jdbc, STATEMENT_TIMEOUT).map(effective::withStatementTimeout).orElse(effective);
        effective = duration(jdbc, IDLE_IN_TRANSACTION_TIMEOUT).map(effective::withIdleInTransactionTimeout)
                .orElse(effective);
        PostgresDatabase db = PostgresDatabase.open(
                without(jdbc, Set.of(LOCK_TIMEOUT, STATEMENT_TIMEOUT, IDLE_IN_TRANSACTION_TIMEOUT)), effective);
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
        return repository;
    }

    /** The sessions, leases, activity-log and transcript ports, all over this database. */
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
            String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
            String userInfo = uri.getRawUserInfo();
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                query = with(query, "user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
                query = colon < 0 ? query : with(query, "password", decode(userInfo.substring(colon + 1)));
            }
            return "jdbc:postgresql://" + uri.getRawAuthority().replaceFirst(".*@", "")
                    + (uri.getRawPath() == null ? "/" : uri.getRawPath()) + (query.isEmpty() ? "" : "?" + query);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new InvalidInputException("db", "not a valid PostgreSQL URL: " + redact(text));
        }
    }

    /** The (decoded) value of the URL's parameter {@code name}, if it has one. */
    static Optional<String> parameter(String jdbc, String name) {
        int question = jdbc.indexOf('?');
        return question < 0 ? Optional.empty() : Arrays.stream(jdbc.substring(question + 1).split("&"))
                .filter(pair -> pair.startsWith(name + "=")).findFirst()
                .map(pair -> decode(pair.substring(name.length() + 1)));
    }

    /**
     * The URL's parameter {@code name} as a duration, PostgreSQL's way: {@code 1500ms}, {@code 2s},
     * {@code 1min}, {@code 1h}, or a bare number of milliseconds.
     */
    private static Optional<Duration> duration(String jdbc, String name) {
        return parameter(jdbc, name).map(text -> {
            Matcher m = DURATION.matcher(text.strip());
            if (!m.matches()) {
                throw new InvalidInputException("db", "URL parameter " + name + " must be a duration such as 1500ms,"
                        + " 2s, 1min or 1h, was " + text);
            }
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2) == null ? "ms" : m.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "min" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofMillis(amount);
            };
        });
    }

    /** {@code jdbc} without the parameters {@code names}. */
    static String without(String jdbc, Set<String> names) {
        int question = jdbc.indexOf('?');
        if (question < 0) {
            return jdbc;
        }
        String query = Arrays.stream(jdbc.substring(question + 1).split("&"))
                .filter(pair -> !pair.isEmpty() && !names.contains(pair.split("=", 2)[0]))
                .collect(Collectors.joining("&"));
        return jdbc.substring(0, question) + (query.isEmpty() ? "" : "?" + query);
    }

    /**
     * {@code jdbc} with {@code options} (the server's command-line options, such as {@code -c
     * lock_timeout=5000}) sent at connection start-up, before any the URL had, so that the URL's own win.
     */
    static String withStartupOptions(String jdbc, String options) {
        String merged = parameter(jdbc, OPTIONS).map(own -> options + " " + own).orElse(options);
        String rest = without(jdbc, Set.of(OPTIONS));
        return rest + (rest.indexOf('?') < 0 ? "?" : "&") + with("", OPTIONS, merged);
    }

    private static String with(String query, String key, String value) {
        return (query.isEmpty() ? "" : query + "&") + key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** {@code text} with any password replaced, fit for messages and logs. */
    static String redact(String text) {
        return StorageFactory.redact(text);
    }

    /** {@code jdbc} without a password, and without the start-up options, which would make every message long. */
    static String describe(String jdbc) {
        return redact(without(jdbc, Set.of(OPTIONS)));
    }
}
