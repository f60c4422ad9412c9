package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Session;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** As {@link RemanenceTest}, for the inbox and the outbox: a deleted session's messages and replies leave no trace. */
class MessagesRemanenceTest {

    @TempDir
    Path dir;

    @Test
    void aDeletedSessionsMessagesRepliesAndKeysAreInNoFileAfterACheckpoint() throws Exception {
        Path db = dir.resolve("sessions.db");
        String message = "MESSAGE-" + UUID.randomUUID();
        String reply = "REPLY-" + UUID.randomUUID();
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            SessionService sessions = Remanence.service(storage);
            Session kept = sessions.create("/home/ana/kept", "+15551234567");
            for (int i = 0; i < 20; i++) {
                sessions.inbox().receive(kept.id(), "{\"filler\":\"" + "f".repeat(3000) + "\"}", "k" + i);
            }
            Session doomed = sessions.create("/home/ana/secret", "+15551234567");
            sessions.inbox().receive(doomed.id(), "{\"text\":\"" + (message + " ").repeat(200) + "\"}", message);
            sessions.outbox().enqueue(doomed.id(), "{\"text\":\"" + (reply + " ").repeat(200) + "\"}", reply);
            assertThat(Remanence.filesContaining(dir, message)).isNotEmpty();

            sessions.terminate(doomed.id());
            sessions.delete(doomed.id());
            Remanence.checkpointTruncate(db);
            assertThat(Remanence.filesContaining(dir, message)).as("a deleted session's message and its key").isEmpty();
            assertThat(Remanence.filesContaining(dir, reply)).as("a deleted session's reply and its key").isEmpty();
        }
    }
}
