package io.claudesignal.sessions.benchmarks;

import io.claudesignal.sessions.bootstrap.SessionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * The database files of the benchmarks, and the plain-JDBC connections of the baselines. Every file
 * is made by the library itself (same schema, same indexes), and the baselines open it with the same
 * settings as the library's writer: WAL, {@code synchronous=FULL}, a 10 s busy timeout, foreign keys
 * and secure delete on.
 */
public final class BenchFiles {

    public static final String PROJECT = "/home/bench/code/webapp";
    public static final String THREAD = "+15550000000";
    /** A small, realistic context (about 200 bytes) for sessions made in bulk. */
    public static final String CONTEXT = "{\"conversation_history\":{\"turns\":[{\"role\":\"user\",\"text\":\"run the tests\"},"
            + "{\"role\":\"assistant\",\"text\":\"All 118 tests pass.\"}]},\"notes\":\"bench\",\"model\":\"claude\"}";

    static final String COLUMNS = "id, project_path, thread_id, status, created_at, updated_at, version, context";
    static final String INSERT = "INSERT INTO sessions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private BenchFiles() {
    }

    /** Where the files go: {@code -Dbench.dir}, else {@code target/bench-data}. A real disk, not tmpfs. */
    public static Path dir() {
        Path dir = Path.of(System.getProperty("bench.dir", "target/bench-data")).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** A new, empty sessions database made by the library, unique to this process. */
    public static Path fresh(String name) {
        Path file = dir().resolve(name + "-" + ProcessHandle.current().pid() + ".db");
        delete(file);
        SessionStore.openSqlite(file).close();
        return file;
    }

    public static void delete(Path file) {
        try {
            for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String now() {
        return ts(Instant.now());
    }

    static String ts(Instant instant) {
        return TS.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    /** A read-write connection with the library writer's settings; autocommit, as opened. */
    public static Connection writer(Path file) throws SQLException {
        SQLiteConfig config = base();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
        return config.createConnection("jdbc:sqlite:" + file);
    }

    /** A read-only connection, as the library's readers are. */
    public static Connection reader(Path file) throws SQLException {
        SQLiteConfig config = base();
        config.setReadOnly(true);
        return config.createConnection("jdbc:sqlite:" + file);
    }

    private static SQLiteConfig base() {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        return config;
    }

    /**
     * Adds {@code n} sessions with {@code status} and {@code context} in one transaction, created a
     * microsecond apart, and returns every {@code every}-th id (a sample to pick from without holding
     * all ids in memory).
     */
    public static List<String> populate(Path file, int n, String status, String context, int every) {
        List<String> sample = new ArrayList<>();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        try (Connection c = writer(file)) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                for (int i = 0; i < n; i++) {
                    String id = UUID.randomUUID().toString();
                    String at = ts(start.plus(i, ChronoUnit.MICROS));
                    bindInsert(insert, id, status, at, context);
                    insert.addBatch();
                    if (i % 1000 == 999) {
                        insert.executeBatch();
                    }
                    if (i % every == 0) {
                        sample.add(id);
                    }
                }
                insert.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return sample;
    }

    /** A reusable file of {@code n} sessions (for read-only workloads): built once, then kept. */
    public static Path shared(String name, int n) {
        Path file = dir().resolve(name + "-" + n + ".db");
        if (Files.exists(file) && count(file) == n) {
            return file;
        }
        delete(file);
        SessionStore.openSqlite(file).close();
        populate(file, n, "ACTIVE", CONTEXT, Integer.MAX_VALUE);
        return file;
    }

    /** Up to {@code n} ids of the file, spread over it. */
    public static List<String> ids(Path file, int n) {
        List<String> ids = new ArrayList<>();
        try (Connection c = reader(file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM sessions ORDER BY random() LIMIT " + n)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    static long count(Path file) {
        try (Connection c = reader(file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM sessions")) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            return -1;
        }
    }

    static void bindInsert(PreparedStatement insert, String id, String status, String at, String context)
            throws SQLException {
        insert.setString(1, id);
        insert.setString(2, PROJECT);
        insert.setString(3, THREAD);
        insert.setString(4, status);
        insert.setString(5, at);
        insert.setString(6, at);
        insert.setLong(7, 1);
        insert.setString(8, context);
    }

    /** A whole session row as plain JDBC reads it. */
    public record Row(String id, String projectPath, String threadId, String status, String createdAt,
                      String updatedAt, long version, String context) {

        static Row read(ResultSet rs) throws SQLException {
            return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getLong(7), rs.getString(8));
        }
    }

    /** A session row without its context, as a list reads it. */
    public record Summary(String id, String projectPath, String threadId, String status, String createdAt,
                          String updatedAt, long version) {

        static Summary read(ResultSet rs) throws SQLException {
            return new Summary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getLong(7));
        }
    }
}
