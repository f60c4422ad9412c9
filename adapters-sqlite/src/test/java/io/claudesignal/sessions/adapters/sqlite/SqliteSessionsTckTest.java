package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import io.claudesignal.sessions.tck.SessionsTck;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite adapter against the kit every adapter passes, on a real file in a temporary directory.
 * The second handle is a second store on the same file, with its own writer connection, so the races
 * also run between connections that only SQLite's file locks keep apart.
 */
class SqliteSessionsTckTest extends SessionsTck {

    @TempDir
    Path dir;

    private SqliteStorage storage;
    private SqliteStorage second;

    @Override
    protected Persistence openPersistence() {
        storage = closeAfterwards(SqliteStorage.open(dir.resolve("sessions.db")));
        second = null;
        return storage.persistence();
    }

    @Override
    protected Persistence openSecondHandle() {
        second = closeAfterwards(SqliteStorage.open(dir.resolve("sessions.db")));
        return second.persistence();
    }

    @Override
    protected StoreOperations operations() {
        return storage.operations();
    }

    @Override
    protected StoreOperations secondOperations() {
        return (second != null ? second : storage).operations();
    }
}
