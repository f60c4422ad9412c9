package io.claudesignal.sessions.adapters.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.tools.jdbc.DefaultConnection;
import org.jooq.tools.jdbc.DefaultPreparedStatement;

/**
 * A connection that keeps its prepared statements, so that jOOQ, which prepares and closes a
 * statement for every query, does not make SQLite compile the same SQL again each time: preparing is
 * a large part of a small query's cost (measured by the benchmarks module). jOOQ's {@code close()} of
 * a kept statement only clears its parameters; SQLite has already reset it (a statement is reset when
 * it has run to completion or its result set is closed), so no read snapshot stays open.
 *
 * <p>Up to {@link #CAPACITY} distinct SQL texts are kept, least recently used first out. A statement
 * asked for while its kept copy is still in use (a nested query of the same text) is prepared fresh
 * and really closed. Not thread-safe: a connection is used by one thread at a time (the writer thread,
 * or the reader that borrowed it).
 */
final class StatementCachingConnection extends DefaultConnection {

    static final int CAPACITY = 32;

    private final Map<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
            if (size() > CAPACITY) {
                eldest.getValue().discard();
                return true;
            }
            return false;
        }
    };

    StatementCachingConnection(Connection connection) {
        super(connection);
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        Kept statement = kept.get(sql);
        if (statement == null) {
            statement = new Kept(getDelegate().prepareStatement(sql), this);
            kept.put(sql, statement);
        } else if (statement.inUse) {
            return getDelegate().prepareStatement(sql);
        }
        statement.inUse = true;
        return statement;
    }

    @Override
    public void close() throws SQLException {
        List<Kept> all = new ArrayList<>(kept.values());
        kept.clear();
        all.forEach(Kept::discard);
        super.close();
    }

    /** A kept statement: closing it returns it to the cache. */
    private static final class Kept extends DefaultPreparedStatement {

        boolean inUse;

        Kept(PreparedStatement statement, Connection owner) {
            super(statement, owner);
        }

        @Override
        public void close() throws SQLException {
            if (inUse) {
                inUse = false;
                getDelegate().clearParameters();
            }
        }

        @Override
        public boolean isClosed() {
            return false;
        }

        void discard() {
            try {
                getDelegate().close();
            } catch (SQLException ignored) {
                // Best effort: closing the connection finalises it anyway.
            }
        }
    }
}
