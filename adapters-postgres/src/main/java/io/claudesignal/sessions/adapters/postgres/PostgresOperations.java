package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.adapters.jdbc.SqlOperations;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import java.nio.file.Path;
import java.time.Instant;
import org.jooq.DSLContext;

/**
 * The shared store operations ({@link SqlOperations}) on a PostgreSQL schema, with what a server does
 * its own way: a purge batch that concurrent purges share out, REPEATABLE READ snapshots, and no backup
 * of its own.
 */
final class PostgresOperations extends SqlOperations {

    PostgresOperations(PostgresDatabase db) {
        super(db, PostgresDialect.of(db));
    }

    @Override
    public int purgeBatch(Instant cutoff, int limit) {
        // SKIP LOCKED: two purges (two daemons) take disjoint batches instead of queueing behind each
        // other, and a row a daemon is writing is left for the next batch. The condition is checked
        // again by the DELETE on the row it deletes; the cascade removes what the session owns.
        // A CTE, so that the batch is chosen (and locked) once and its LIMIT holds whatever plan the
        // server picks for the DELETE.
        String before = cutoff.toString();
        return db.write(ctx -> ctx.execute("WITH batch AS (SELECT id FROM sessions"
                + " WHERE status = 'TERMINATED' AND NOT pinned AND updated_at < CAST(? AS timestamptz)"
                + " ORDER BY updated_at, id LIMIT ? FOR UPDATE SKIP LOCKED)"
                + " DELETE FROM sessions s USING batch WHERE s.id = batch.id"
                + " AND s.status = 'TERMINATED' AND NOT s.pinned AND s.updated_at < CAST(? AS timestamptz)", before, limit, before));
    }

    /** READ COMMITTED gives each statement its own snapshot; an archive's statements must share one. */
    @Override
    protected void beginSnapshot(DSLContext tx) {
        tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }

    @Override
    public void backup(Path target) {
        throw new StorageException(Reason.UNSUPPORTED, null, "a PostgreSQL store is backed up with the server's own "
                + "tools (pg_dump, or pg_basebackup for the whole cluster), not by this program");
    }
}
