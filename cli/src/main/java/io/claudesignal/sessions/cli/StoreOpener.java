package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.bootstrap.SessionStore;
import java.nio.file.Path;

/**
 * Opens the store a command works on. The CLI calls it at most once per run, only for commands that
 * need the store, and closes the store it got when the command is done: an opener hands out a store
 * the CLI may close. {@link #sqlite()} is the real one; tests open stores over shared
 * in-memory storage, the way processes share a database file. A PostgreSQL URL goes to
 * {@link #openPostgres(String)} instead.
 */
@FunctionalInterface
public interface StoreOpener {

    /**
     * @param db the database file, absolute
     * @throws io.claudesignal.sessions.domain.StorageException when it cannot be opened
     */
    SessionStore open(Path db);

    /**
     * Opens {@code db}, accepting a file owned by another user when {@code allowForeignOwner}
     * ({@code --allow-foreign-owner}). Openers whose stores have no files, as tests' do, need not
     * override it.
     */
    default SessionStore open(Path db, boolean allowForeignOwner) {
        return open(db);
    }

    /** The real opener: SQLite files, with the CLI's options. */
    static StoreOpener sqlite() {
        return new StoreOpener() {
            @Override
            public SessionStore open(Path db) {
                return SessionStore.openSqlite(db);
            }

            @Override
            public SessionStore open(Path db, boolean allowForeignOwner) {
                return SessionStore.openSqlite(db, SqliteSettings.defaults().allowForeignOwner(allowForeignOwner));
            }
        };
    }

    /**
     * Opens the PostgreSQL database at {@code url} ({@code --db postgresql://…} or a JDBC URL).
     *
     * @throws io.claudesignal.sessions.domain.StorageException when it cannot be opened
     */
    default SessionStore openPostgres(String url) {
        return SessionStore.openPostgres(url);
    }
}
