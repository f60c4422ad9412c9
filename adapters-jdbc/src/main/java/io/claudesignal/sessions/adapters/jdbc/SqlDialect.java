package io.claudesignal.sessions.adapters.jdbc;

import java.time.Instant;
import java.util.UUID;
import org.jooq.DataType;

/**
 * What one SQL database does differently, as far as the shared core ({@link SqlSessions},
 * {@link SqlLeases}, {@link SqlActivityLog}) needs to know: how it stores ids and instants, how a
 * write excludes the others, and how it says "duplicate key".
 */
public interface SqlDialect {

    /** How a session id is stored: a native {@code uuid}, or text through a converter. */
    DataType<UUID> uuidType();

    /** How an instant is stored: a native {@code timestamptz}, or text through a converter. */
    DataType<Instant> instantType();

    /**
     * True when concurrent writers run side by side and a write must lock the session's row itself
     * ({@code SELECT … FOR UPDATE}); false when the write transaction already excludes every other
     * writer (SQLite's IMMEDIATE transaction).
     */
    boolean locksRows();

    /** Whether {@code error} is the database refusing a row whose key exists already. */
    boolean isUniqueViolation(Throwable error);
}
