package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.bootstrap.SessionStore;
import java.nio.file.Path;
import java.util.Map;

/**
 * Opens the store a command works on. The CLI calls it at most once per run, only for commands that
 * need it, and closes the store it got when the command is done: an opener hands out a store the CLI
 * may close. {@link #standard()} is the real one, which names no adapter: {@link SessionStore#open(String,
 * Map, SessionsConfig)} finds the one that recognises the location. Tests open stores over shared
 * in-memory storage, the way processes share a database file.
 */
@FunctionalInterface
public interface StoreOpener {

    /**
     * The SQLite adapter's setting for {@code --allow-foreign-owner} (its {@code SqliteStorageFactory}
     * documents it); named here because the CLI imports no adapter.
     */
    String ALLOW_FOREIGN_OWNER = "allowForeignOwner";

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

    /**
     * Opens the database a URL names ({@code --db postgresql://…} or a JDBC URL), through whichever
     * adapter on the class path recognises it.
     *
     * @throws io.claudesignal.sessions.domain.InvalidInputException when none does
     * @throws io.claudesignal.sessions.domain.StorageException      when it cannot be opened
     */
    default SessionStore openUrl(String url) {
        return SessionStore.open(url, SessionsConfig.cli());
    }

    /**
     * As {@link #openUrl(String)}, its name from when PostgreSQL was the only database a URL could
     * name. The CLI no longer calls it: an opener overrides {@link #openUrl(String)}.
     */
    @Deprecated
    default SessionStore openPostgres(String url) {
        return openUrl(url);
    }

    /** The real opener: files and URLs, with the CLI's options. */
    static StoreOpener standard() {
        return new StoreOpener() {
            @Override
            public SessionStore open(Path db) {
                return open(db, false);
            }

            @Override
            public SessionStore open(Path db, boolean allowForeignOwner) {
                // Only a setting that differs from the default is passed: a location of another kind
                // would refuse a setting it does not know.
                Map<String, String> settings = allowForeignOwner ? Map.of(ALLOW_FOREIGN_OWNER, "true") : Map.of();
                return SessionStore.open(db.toString(), settings, SessionsConfig.cli());
            }
        };
    }

    /** {@link #standard()}, under its name from when the CLI opened only SQLite files. */
    static StoreOpener sqlite() {
        return standard();
    }
}
