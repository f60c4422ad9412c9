package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The change log keeps the newest {@link Change#RETAINED} changes, numbered without a gap. */
class ChangeLogPruningTest {

    @TempDir
    Path dir;

    @Test
    void theLogIsPrunedToTheRetainedChangesAsWritesGoOn() throws Exception {
        Path file = dir.resolve("sessions.db");
        int writes = Change.RETAINED + 300;
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            SessionService cli = new SessionService(storage.persistence(), Clock.systemUTC(), SessionIdGenerator.random(),
                    new ContextJson());
            for (int i = 0; i < writes; i++) {
                cli.create("/p", "t");
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*), min(seq), max(seq) FROM changes")) {
            assertThat(r.next()).isTrue();
            long count = r.getLong(1);
            assertThat(r.getLong(3)).as("one seq per write").isEqualTo(writes);
            assertThat(r.getLong(3) - r.getLong(2) + 1).as("no gap in what is kept").isEqualTo(count);
            assertThat(count).as("pruned, keeping at least the retained changes")
                    .isBetween((long) Change.RETAINED, (long) Change.RETAINED + 256);
        }
    }
}
