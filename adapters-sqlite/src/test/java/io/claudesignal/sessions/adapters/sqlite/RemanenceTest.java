package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.port.in.TranscriptQuery;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Session;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 9 of the reliability suite: a deleted session's context, and a value a merge removed, leave no
 * trace in any file of the store once the WAL is checkpointed ({@code secure_delete} is on). The
 * control shows the scan finds what a store without secure_delete leaves behind.
 */
class RemanenceTest {

    @TempDir
    Path dir;

    @Test
    void aDeletedContextAndARemovedValueAreInNoFileAfterACheckpoint() throws Exception {
        Path db = dir.resolve("sessions.db");
        String deletedMarker = "DELETED-" + UUID.randomUUID();
        String removedMarker = "REMOVED-" + UUID.randomUUID();
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            SessionService sessions = Remanence.service(storage);
            for (int i = 0; i < 20; i++) {
                sessions.mergeContext(sessions.create("/p" + i, "t").id(), "{\"filler\":\"" + "f".repeat(3000) + "\"}");
            }
            Session doomed = sessions.create("/home/ana/secret", "+15551234567");
            // Large enough to need overflow pages, small occurrences too.
            sessions.mergeContext(doomed.id(), "{\"a\":\"" + deletedMarker + "\",\"b\":\"" + (deletedMarker + " ").repeat(400) + "\"}");
            Session kept = sessions.create("/home/ana/kept", "+15551234567");
            sessions.mergeContext(kept.id(), "{\"token\":\"" + (removedMarker + " ").repeat(200) + "\",\"keep\":1}");
            // The markers are in the files now, at least in the WAL: the scan can see them.
            assertThat(Remanence.filesContaining(dir, deletedMarker)).isNotEmpty();

            sessions.terminate(doomed.id());
            sessions.delete(doomed.id());
            sessions.mergeContext(kept.id(), "{\"token\":null}");
            Remanence.checkpointTruncate(db);
            assertThat(Remanence.filesContaining(dir, deletedMarker)).as("the deleted session's context").isEmpty();
            assertThat(Remanence.filesContaining(dir, removedMarker)).as("the value a merge removed").isEmpty();
        }
        assertThat(Remanence.filesContaining(dir, deletedMarker)).isEmpty();
        assertThat(Remanence.filesContaining(dir, removedMarker)).isEmpty();
    }

    @Test
    void poppedClearedAndDeletedTranscriptItemsAreInNoFileAfterACheckpoint() throws Exception {
        Path db = dir.resolve("sessions.db");
        String popped = "POPPED-" + UUID.randomUUID();
        String cleared = "CLEARED-" + UUID.randomUUID();
        String deleted = "GONE-" + UUID.randomUUID();
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            SessionService sessions = Remanence.service(storage);
            Session kept = sessions.create("/home/ana/kept", "+15551234567");
            Session doomed = sessions.create("/home/ana/secret", "+15551234567");
            for (int i = 0; i < 20; i++) {
                sessions.transcripts().append(kept.id(), "{\"filler\":\"" + "f".repeat(3000) + "\"}");
            }
            sessions.transcripts().append(kept.id(), "{\"content\":\"" + (cleared + " ").repeat(200) + "\"}", cleared);
            sessions.transcripts().append(kept.id(), "{\"content\":\"" + (popped + " ").repeat(200) + "\"}", popped);
            sessions.transcripts().append(doomed.id(), "{\"content\":\"" + (deleted + " ").repeat(200) + "\"}", deleted);
            assertThat(Remanence.filesContaining(dir, popped)).isNotEmpty();

            sessions.transcripts().popLast(kept.id());
            sessions.transcripts().clear(kept.id());
            sessions.terminate(doomed.id());
            sessions.delete(doomed.id());
            Remanence.checkpointTruncate(db);
            assertThat(Remanence.filesContaining(dir, popped)).as("a popped item and its key").isEmpty();
            assertThat(Remanence.filesContaining(dir, cleared)).as("a cleared item and its key").isEmpty();
            assertThat(Remanence.filesContaining(dir, deleted)).as("the items of a deleted session").isEmpty();
        }
    }

    /**
     * The search index (FTS5) keeps words, not text: each word here is one token, starting with a letter
     * no other indexed word starts with, so that FTS5's prefix compression cannot hide it from the scan.
     */
    @Test
    void theIndexedWordsOfRemovedItemsAreInNoFileAfterACheckpoint() throws Exception {
        Path db = dir.resolve("sessions.db");
        String suffix = UUID.randomUUID().toString().replace("-", "").replaceAll("[0-9]", "k");
        String popped = "wpopped" + suffix;
        String cleared = "xcleared" + suffix;
        String deleted = "ydeleted" + suffix;
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            SessionService sessions = Remanence.service(storage);
            Session kept = sessions.create("/home/ana/kept", "+15551234567");
            Session doomed = sessions.create("/home/ana/secret", "+15551234567");
            sessions.transcripts().append(kept.id(), "{\"content\":\"" + cleared + "\"}");
            sessions.transcripts().append(kept.id(), "{\"content\":\"" + popped + "\"}");
            sessions.transcripts().append(doomed.id(), "{\"content\":\"" + deleted + "\"}");
            for (String word : List.of(popped, cleared, deleted)) {
                assertThat(sessions.transcripts().search(TranscriptQuery.of(word)).matches()).hasSize(1);
            }

            sessions.transcripts().popLast(kept.id());
            sessions.transcripts().clear(kept.id());
            sessions.terminate(doomed.id());
            sessions.delete(doomed.id());
            Remanence.checkpointTruncate(db);
            assertThat(Remanence.filesContaining(dir, popped)).as("a popped item's words").isEmpty();
            assertThat(Remanence.filesContaining(dir, cleared)).as("a cleared item's words").isEmpty();
            assertThat(Remanence.filesContaining(dir, deleted)).as("the words of a deleted session's items").isEmpty();
        }
    }

    @Test
    void compactedTranscriptItemsAreInNoFileAfterACheckpoint() throws Exception {
        Path db = dir.resolve("sessions.db");
        String compacted = "COMPACTED-" + UUID.randomUUID();
        String kept = "KEPT-" + UUID.randomUUID();
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            SessionService sessions = Remanence.service(storage);
            Session s = sessions.create("/home/ana/kept", "+15551234567");
            for (int i = 0; i < 20; i++) {
                sessions.transcripts().append(s.id(), "{\"filler\":\"" + "f".repeat(3000) + "\"}");
            }
            sessions.transcripts().append(s.id(), "{\"content\":\"" + (compacted + " ").repeat(200) + "\"}", compacted);
            long through = sessions.transcripts().append(s.id(), "{\"content\":\"" + compacted + "\"}").seq();
            sessions.transcripts().append(s.id(), "{\"content\":\"" + kept + "\"}");
            assertThat(Remanence.filesContaining(dir, compacted)).isNotEmpty();

            sessions.transcripts().compact(s.id(), through, "{\"content\":\"a summary\"}");
            Remanence.checkpointTruncate(db);
            assertThat(Remanence.filesContaining(dir, compacted)).as("the compacted items and their keys").isEmpty();
            assertThat(Remanence.filesContaining(dir, kept)).as("the item after the compacted ones").isNotEmpty();
        }
    }

    @Test
    void controlWithoutSecureDeleteTheScanFindsTheDeletedBytes() throws Exception {
        Path db = dir.resolve("plain.db");
        String marker = "PLAIN-" + UUID.randomUUID();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA secure_delete = 0");
            s.execute("CREATE TABLE t (x TEXT)");
            s.execute("INSERT INTO t VALUES ('" + (marker + " ").repeat(400) + "')");
            s.execute("INSERT INTO t VALUES ('other')");
            s.execute("DELETE FROM t WHERE x LIKE 'PLAIN-%'");
        }
        assertThat(Remanence.filesContaining(dir, marker)).isNotEmpty();
    }
}
