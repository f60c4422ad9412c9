package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.application.port.out.LeaseRepository;
import io.claudesignal.sessions.adapters.jdbc.DaemonNames;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.DaemonRunningException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Who runs a daemon name on one database and schema: a session-level advisory lock
 * ({@code pg_try_advisory_lock}) on a key made from the schema and the name, held on a connection of
 * its own (outside the pool) from the daemon's start until its storage closes. The server drops the
 * lock when that connection ends in any way (the process killed, the host gone, once the server notices
 * the dead connection), so a dead daemon does not block its successor for long, and a live one blocks a
 * second process under its name.
 *
 * <p>Advisory locks belong to a connection; within one JVM a second handle under the same name shares
 * the first one's (counted here) and, as a newer incarnation, fences it.
 */
final class PostgresNameLocks implements DaemonNames {

    private static final Map<String, Held> HELD = new HashMap<>();

    private final PostgresUrl url;
    private final String schema;
    private final List<AutoCloseable> mine = new ArrayList<>();
    private boolean closed;

    PostgresNameLocks(PostgresUrl url, String schema) {
        this.url = url;
        this.schema = schema;
    }

    /** {@code host:port/database/schema}: where the names are, without user or password. */
    @Override
    public String location() {
        String rest = url.jdbc().replaceFirst("(?i)^jdbc:postgresql://", "");
        int query = rest.indexOf('?');
        return (query >= 0 ? rest.substring(0, query) : rest) + "/" + schema;
    }

    @Override
    public synchronized AutoCloseable hold(Actor daemon) {
        if (closed) {
            throw new StorageException(StorageException.Reason.CLOSED, null, url + ": the store is closed");
        }
        String key = location() + "/" + daemon.value();
        Held held;
        synchronized (HELD) {
            held = HELD.get(key);
            if (held == null) {
                held = Held.take(url, lockKey(schema, daemon), daemon);
                HELD.put(key, held);
            }
            held.users++;
        }
        Held taken = held;
        AutoCloseable release = new AutoCloseable() {
            private boolean done;

            @Override
            public void close() throws SQLException {
                synchronized (HELD) {
                    if (done) {
                        return;
                    }
                    done = true;
                    if (--taken.users == 0) {
                        HELD.remove(key);
                        taken.connection.close(); // the server releases the session's advisory locks
                    }
                }
            }
        };
        mine.add(release);
        return release;
    }

    synchronized void close() {
        closed = true;
        for (AutoCloseable release : mine) {
            try {
                release.close();
            } catch (Exception e) {
                System.getLogger(PostgresNameLocks.class.getName()).log(System.Logger.Level.WARNING,
                        "closing a daemon name's lock connection failed; the server drops it with the connection", e);
            }
        }
        mine.clear();
    }

    /** 64 bits of SHA-256 of the schema and the name: advisory locks are per database, not per schema. */
    static long lockKey(String schema, Actor daemon) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    ("claude-signal-sessions/daemon/" + schema + "/" + daemon.value()).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static final class Held {
        final Connection connection;
        int users;

        private Held(Connection connection) {
            this.connection = connection;
        }

        static Held take(PostgresUrl url, long key, Actor daemon) {
            Properties props = new Properties();
            props.setProperty("ApplicationName", "claude-signal-sessions daemon lock");
            props.setProperty("tcpKeepAlive", "true");
            Connection connection;
            try {
                connection = DriverManager.getConnection(url.jdbc(), props);
            } catch (SQLException e) {
                throw PostgresErrors.translate(url, "connecting", e);
            }
            try (PreparedStatement st = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                st.setLong(1, key);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        closeQuietly(connection);
                        throw new DaemonRunningException(daemon, "another connection holds its advisory lock "
                                + key + " on " + url);
                    }
                }
                return new Held(connection);
            } catch (SQLException e) {
                closeQuietly(connection);
                throw PostgresErrors.translate(url, "locking the daemon's name", e);
            }
        }

        private static void closeQuietly(Connection connection) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing was locked through it
            }
        }
    }
}
