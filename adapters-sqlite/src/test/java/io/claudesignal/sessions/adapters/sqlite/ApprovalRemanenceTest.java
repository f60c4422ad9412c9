package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.tck.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * As {@link RemanenceTest} for approvals: what Claude asked, its key and the decider's note leave no
 * trace in any file of the store once their session is deleted and the WAL checkpointed.
 */
class ApprovalRemanenceTest {

    @TempDir
    Path dir;

    @Test
    void aDeletedSessionsApprovalsAreInNoFileAfterACheckpoint() throws Exception {
        Path db = dir.resolve("sessions.db");
        String asked = "ASKED-" + UUID.randomUUID();
        String key = "KEY-" + UUID.randomUUID();
        String note = "NOTE-" + UUID.randomUUID();
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            SessionService sessions = new SessionService(storage.persistence(), new TestClock(),
                    SessionIdGenerator.random(), new ContextJson());
            Session kept = sessions.activate(sessions.create("/home/ana/kept", "+15551234567").id());
            for (int i = 0; i < 20; i++) {
                sessions.approvals().request(kept.id(), "{\"filler\":\"" + "f".repeat(3000) + "\"}", "filler-" + i);
            }
            Session doomed = sessions.activate(sessions.create("/home/ana/secret", "+15551234567").id());
            Approval approval = sessions.approvals().request(doomed.id(),
                    "{\"command\":\"" + (asked + " ").repeat(200) + "\"}", key);
            sessions.approvals().decide(approval.id(), Approval.Decision.REJECT, Actor.CLI, (note + " ").repeat(50));
            assertThat(contains(asked)).isTrue();

            sessions.terminate(doomed.id());
            sessions.delete(doomed.id());
            try (Connection c = Ledger.open(db); Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            assertThat(contains(asked)).as("the request").isFalse();
            assertThat(contains(key)).as("its key").isFalse();
            assertThat(contains(note)).as("the decider's note").isFalse();
        }
    }

    /** Whether any file of the directory with ".db" in its name holds {@code marker}. */
    private boolean contains(String marker) throws Exception {
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().contains(".db")).toList()) {
                byte[] hay = Files.readAllBytes(f);
                outer:
                for (int i = 0; i <= hay.length - needle.length; i++) {
                    for (int j = 0; j < needle.length; j++) {
                        if (hay[i + j] != needle[j]) {
                            continue outer;
                        }
                    }
                    return true;
                }
            }
        }
        return false;
    }
}
