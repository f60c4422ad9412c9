package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.tck.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
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
            SessionService sessions = new SessionService(storage.persistence(), new TestClock(),
                    SessionIdGenerator.random(), new ContextJson());
            Session kept = sessions.create("/home/ana/kept", "+15551234567");
            for (int i = 0; i < 20; i++) {
                sessions.inbox().receive(kept.id(), "{\"filler\":\"" + "f".repeat(3000) + "\"}", "k" + i);
            }
            Session doomed = sessions.create("/home/ana/secret", "+15551234567");
            sessions.inbox().receive(doomed.id(), "{\"text\":\"" + (message + " ").repeat(200) + "\"}", message);
            sessions.outbox().enqueue(doomed.id(), "{\"text\":\"" + (reply + " ").repeat(200) + "\"}", reply);
            assertThat(filesContaining(message)).isNotEmpty();

            sessions.terminate(doomed.id());
            sessions.delete(doomed.id());
            try (Connection c = Ledger.open(db); Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            assertThat(filesContaining(message)).as("a deleted session's message and its key").isEmpty();
            assertThat(filesContaining(reply)).as("a deleted session's reply and its key").isEmpty();
        }
    }

    private List<String> filesContaining(String marker) throws Exception {
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().contains(".db")).toList()) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                if (bytes.contains(new String(needle, StandardCharsets.ISO_8859_1))) {
                    found.add(f.getFileName().toString());
                }
            }
        }
        return found;
    }
}
