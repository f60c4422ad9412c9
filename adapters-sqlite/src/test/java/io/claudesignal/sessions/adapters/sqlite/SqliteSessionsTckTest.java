package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.application.port.out.StorageAdapter;
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

    @Override
    protected StorageAdapter openStorage() {
        return SqliteStorage.open(dir.resolve("sessions.db"));
    }

    @Override
    protected StorageAdapter openSecondHandle() {
        return SqliteStorage.open(dir.resolve("sessions.db"));
    }
}
