package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.adapters.jdbc.SqlDaemonNames;
import io.claudesignal.sessions.adapters.jdbc.SqlErrors;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.DaemonRunningException;
import io.claudesignal.sessions.domain.StorageException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * the first one's (counted by {@link SqlDaemonNames}) and, as a newer incarnation, fences it.
 */
final class PostgresNameLocks implements SqlDaemonNames.Lock {

    private final PostgresUrl url;
    private final String schema;

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
    public String key(Actor daemon) {
        return location() + "/" + daemon.value();
    }

    @Override
    public StorageException closedError() {
        return new StorageException(StorageException.Reason.CLOSED, null, url + ": the store is closed");
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

    /** Takes the name's advisory lock on a connection of its own; closing it, the server releases the lock. */
    @Override
    public AutoCloseable lock(Actor daemon) {
        long key = lockKey(schema, daemon);
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
                    SqlErrors.closeQuietly(connection); // nothing was locked through it
                    throw new DaemonRunningException(daemon, "another connection holds its advisory lock "
                            + key + " on " + url);
                }
            }
            return connection;
        } catch (SQLException e) {
            SqlErrors.closeQuietly(connection);
            throw PostgresErrors.translate(url, "locking the daemon's name", e);
        }
    }
}
