package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.tck.TestClock;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.ForkOrigin;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database of the first (Python) daemon keeps its conversation where that daemon put it, in the
 * context: the upgrade adds the transcript tables and moves nothing.
 */
class TranscriptUpgradeTest {

    private static final String ID = "4c59adf8-6832-4cfa-92f4-4ee146654006";
    private static final String CONTEXT =
            "{\"conversation_history\": {\"turns\": [{\"role\": \"user\", \"text\": \"turn 0\"}]}, \"n\": 1.50}";

    @TempDir
    Path dir;

    @Test
    void theConversationHistoryOfAReferenceDatabaseStaysInTheContextUntouched() throws Exception {
        Path file = dir.resolve("sessions.db");
        ReferenceDatabase.write(file, new ReferenceDatabase.Row(ID, "/Users/ana/code/webapp", "+15551234567", "ACTIVE",
                CONTEXT, "2026-01-26T01:58:12.123456+00:00", "2026-01-26T04:39:12.123456+00:00"));
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            SessionService sessions = new SessionService(storage.persistence(), new TestClock(),
                    SessionIdGenerator.random(), new ContextJson());
            SessionId id = SessionId.parse(ID);
            Session legacy = sessions.get(id);
            assertThat(legacy.context()).isEqualTo(CONTEXT);
            assertThat(legacy.forkedFrom()).isEmpty();
            assertThat(sessions.transcripts().count(id)).isZero();

            // New turns go to the transcript; the old history is left where it is.
            assertThat(sessions.transcripts().append(id, "{\"role\":\"user\",\"content\":\"turn 1\"}").seq()).isEqualTo(1);
            assertThat(sessions.get(id)).isEqualTo(legacy);
            Session fork = sessions.fork(id, 1);
            assertThat(fork.context()).isEqualTo(CONTEXT);
            assertThat(fork.forkedFrom()).contains(new ForkOrigin(id, 1));
        }
    }
}
