package io.claudesignal.sessions.adapters.jdbc;

import java.util.function.Supplier;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SelectForUpdateStep;

/**
 * How the writers of one database exclude each other, as a dialect says ({@link SqlDialect#writeLocks()}):
 * the shared core asks it how to read what a write is about to change, never which database it is on.
 */
public enum WriteLocks {

    /**
     * Writers run side by side (PostgreSQL under READ COMMITTED): a write locks the rows it read to
     * change them ({@code FOR UPDATE}), a check that must see a newer write first waits for it
     * ({@code FOR SHARE}), and work shared out among writers skips the rows another one holds
     * ({@code SKIP LOCKED}).
     */
    ROWS {
        @Override
        public <R extends Record> ResultQuery<R> forWrite(SelectForUpdateStep<R> rows) {
            return rows.forUpdate();
        }

        @Override
        public <R extends Record> ResultQuery<R> forCheck(SelectForUpdateStep<R> rows) {
            return rows.forShare();
        }

        @Override
        public <R extends Record> ResultQuery<R> unlockedForWrite(SelectForUpdateStep<R> rows) {
            return rows.forUpdate().skipLocked();
        }

        @Override
        <T> T lockSession(Supplier<T> rowLock, Supplier<T> held) {
            return rowLock.get();
        }
    },

    /**
     * One writer at a time (SQLite's IMMEDIATE transaction): a write transaction already excludes every
     * other writer of the database, so rows are read as they are, and nothing is locked one by one.
     */
    DATABASE {
        @Override
        public <R extends Record> ResultQuery<R> forWrite(SelectForUpdateStep<R> rows) {
            return rows;
        }

        @Override
        public <R extends Record> ResultQuery<R> forCheck(SelectForUpdateStep<R> rows) {
            return rows;
        }

        @Override
        public <R extends Record> ResultQuery<R> unlockedForWrite(SelectForUpdateStep<R> rows) {
            return rows;
        }

        @Override
        <T> T lockSession(Supplier<T> rowLock, Supplier<T> held) {
            return held.get();
        }
    };

    /** {@code rows}, read to be changed in this transaction: held against other writers until it ends. */
    public abstract <R extends Record> ResultQuery<R> forWrite(SelectForUpdateStep<R> rows);

    /** {@code rows}, read for a check that a concurrent write must not overtake before this transaction ends. */
    public abstract <R extends Record> ResultQuery<R> forCheck(SelectForUpdateStep<R> rows);

    /** Of {@code rows}, those no other writer holds, held by this transaction; the others are left to it. */
    public abstract <R extends Record> ResultQuery<R> unlockedForWrite(SelectForUpdateStep<R> rows);

    /**
     * Takes a session's lock before a write checks and changes it: by {@code rowLock}, a statement that
     * locks the session's row, where writers run side by side; else {@code held}, what the write does
     * when its transaction holds the database already (see {@link SqlRules#lockExisting}).
     */
    abstract <T> T lockSession(Supplier<T> rowLock, Supplier<T> held);
}
