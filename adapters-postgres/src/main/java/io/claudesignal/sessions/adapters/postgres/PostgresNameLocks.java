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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Who runs a daemon name on one database and schema: a session-level advisory lock on a key made from
 * the schema and the name, held on a connection of its own from the daemon's start until its storage
 * closes. The server drops it when that connection ends in any way (the process killed, the host gone,
 * once the server notices), so a dead daemon does not block its successor for long, and a live one
 * blocks a second process under its name. Within one JVM, {@link SqlDaemonNames} shares it.
 */
final class PostgresNameLocks implements SqlDaemonNames.Lock {

    private final PostgresDatabase db;

    PostgresNameLocks(PostgresDatabase db) {
        this.db = db;
    }

    /** {@code host:port/database/schema}: where the names are, without user or password. */
    @Override
    public String location() {
        return db.jdbc().replaceFirst("(?i)^jdbc:postgresql://", "").replaceFirst("\\?.*", "") + "/"
                + db.settings().schema();
    }

    @Override
    public String key(Actor daemon) {
        return location() + "/" + daemon.value();
    }

    @Override
    public StorageException closedError() {
        return db.closedError();
    }

    /** 64 bits of SHA-256 of the schema and the name: advisory locks are per database, not per schema. */
    private long lockKey(Actor daemon) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("claude-signal-sessions/daemon/"
                    + db.settings().schema() + "/" + daemon.value()).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Takes the name's advisory lock on a connection of its own; closing it, the server releases the lock. */
    @Override
    public AutoCloseable lock(Actor daemon) {
        long key = lockKey(daemon);
        Connection connection;
        try {
            connection = db.ownConnection("daemon lock");
        } catch (SQLException e) {
            throw db.translate("connecting", e);
        }
        try (PreparedStatement st = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            st.setLong(1, key);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    SqlErrors.closeQuietly(connection); // nothing was locked through it
                    throw new DaemonRunningException(daemon, "another connection holds its advisory lock "
                            + key + " on " + db);
                }
            }
            return connection;
        } catch (SQLException e) {
            SqlErrors.closeQuietly(connection);
            throw db.translate("locking the daemon's name", e);
        }
    }
}
