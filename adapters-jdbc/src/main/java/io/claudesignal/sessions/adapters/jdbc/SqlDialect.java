package io.claudesignal.sessions.adapters.jdbc;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Schema;

/**
 * What one SQL database does differently, as far as the shared core ({@link SqlSessions},
 * {@link SqlLeases}, {@link SqlTranscripts}, {@link SqlOperations}, {@link SqlChangeLog}) needs to know:
 * its generated schema, how writers exclude each other, its clock, how it
 * announces a change, and the one statement of a recovery that differs.
 */
public interface SqlDialect {

    /**
     * The schema jOOQ generated at build time from this database's own migrations: the only description
     * of its tables and columns, each typed as this database stores it ({@link SqlTables}).
     */
    Schema schema();

    /** How this database finds the transcript items that hold some words, from an index it keeps itself. */
    TextSearch textSearch();

    /** How writers exclude each other: by row locks, or one write transaction at a time. */
    WriteLocks writeLocks();

    /**
     * Pauses the abandoned sessions ({@code abandoned}, a condition on {@code sessions}) at {@code at}
     * with {@link SqlTables.Sessions#pause}, their contexts stamped with {@link
     * io.claudesignal.sessions.domain.Session#RECOVERED_AT}, and returns their ids: the one statement of
     * a crash recovery that differs by database (where rows are locked, those another transaction holds
     * are skipped and the rest checked again under their locks). The core writes the rest once.
     */
    List<UUID> pauseAbandoned(DSLContext ctx, SqlTables.Sessions sessions, Condition abandoned, Instant at);

    /**
     * The database's own clock, read in the transaction {@code ctx} runs, when lease time comes from it
     * (every client shares it, so a client whose clock is skewed cannot take a live lease); empty when
     * lease time comes from the caller's clock (SQLite: the host's, which every process on it shares).
     */
    default Optional<Instant> leaseClock(DSLContext ctx) {
        return Optional.empty();
    }

    /**
     * For the change log's readers: the transaction number below which every transaction that may write
     * to the log has ended, as the statement that reads the log sees it (PostgreSQL: its snapshot's
     * xmin). Empty where writes commit one at a time in the order of the log's positions (SQLite's
     * single writer), so that every committed row can be read at once.
     */
    default Optional<Field<Long>> changeHorizon() {
        return Optional.empty();
    }

    /**
     * Where jOOQ renders no {@code INSERT ... RETURNING} for this database (SQLite), the number the
     * database gave the row the last INSERT of the connection wrote, as a value to select right after
     * it; empty where the INSERT returns it itself. Cheaper than finding the row again by its key.
     */
    default Optional<Field<Long>> lastInsertedRowId() {
        return Optional.empty();
    }

    /**
     * Tells the change log's followers, once the write {@code ctx} runs commits, that the log grew;
     * nothing where they poll (SQLite).
     */
    default void announce(DSLContext ctx) {
    }

    /**
     * Called first in a read transaction whose statements must all see one snapshot: where the default
     * isolation gives each statement its own (READ COMMITTED), raise it; nothing where a read
     * transaction already is one snapshot (SQLite).
     */
    default void beginSnapshot(DSLContext tx) {
    }
}
