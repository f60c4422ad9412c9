package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.Session;
import java.nio.file.Path;
import java.util.UUID;
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
            SessionService sessions = Remanence.service(storage);
            Session kept = sessions.activate(sessions.create("/home/ana/kept", "+15551234567").id());
            for (int i = 0; i < 20; i++) {
                sessions.approvals().request(kept.id(), "{\"filler\":\"" + "f".repeat(3000) + "\"}", "filler-" + i);
            }
            Session doomed = sessions.activate(sessions.create("/home/ana/secret", "+15551234567").id());
            Approval approval = sessions.approvals().request(doomed.id(),
                    "{\"command\":\"" + (asked + " ").repeat(200) + "\"}", key);
            sessions.approvals().decide(approval.id(), Approval.Decision.REJECT, Actor.CLI, (note + " ").repeat(50));
            assertThat(Remanence.filesContaining(dir, asked)).isNotEmpty();

            sessions.terminate(doomed.id());
            sessions.delete(doomed.id());
            Remanence.checkpointTruncate(db);
            assertThat(Remanence.filesContaining(dir, asked)).as("the request").isEmpty();
            assertThat(Remanence.filesContaining(dir, key)).as("its key").isEmpty();
            assertThat(Remanence.filesContaining(dir, note)).as("the decider's note").isEmpty();
        }
    }
}
