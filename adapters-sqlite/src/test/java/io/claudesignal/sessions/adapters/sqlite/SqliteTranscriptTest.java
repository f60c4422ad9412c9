package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.tck.TranscriptContract;
import io.claudesignal.sessions.application.port.out.Persistence;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite adapter against the transcript contract every adapter passes, on a real file in a temporary
 * directory. The second handle is a second store on the same file, with its own writer connection,
 * so the races also run between connections that only SQLite's file locks keep apart.
 */
class SqliteTranscriptTest extends TranscriptContract {

    @TempDir
    Path dir;

    private SqliteStorage first;
    private SqliteStorage second;

    @Override
    protected Persistence openRepository() {
        first = SqliteStorage.open(dir.resolve("sessions.db"));
        return first.persistence();
    }

    @Override
    protected Persistence openSecondHandle() {
        second = SqliteStorage.open(dir.resolve("sessions.db"));
        return second.persistence();
    }

    @Override
    protected void closeRepositories() {
        if (second != null) {
            second.close();
        }
        first.close();
    }
}
