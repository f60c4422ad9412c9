package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.tck.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the remanence tests ({@link RemanenceTest}, {@link ApprovalRemanenceTest},
 * {@link MessagesRemanenceTest}) share: a service on the store, the checkpoint that empties the WAL into
 * the database, and the scan of the store's files for a marker.
 */
final class Remanence {

    private Remanence() {
    }

    static SessionService service(SqliteStorage storage) {
        return new SessionService(storage.persistence(), new TestClock(), SessionIdGenerator.random(), new ContextJson());
    }

    static void checkpointTruncate(Path db) throws Exception {
        try (Connection c = Ledger.open(db); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    /** The files of {@code dir} whose names contain ".db" and whose bytes contain {@code marker}. */
    static List<String> filesContaining(Path dir, String marker) throws Exception {
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().contains(".db")).toList()) {
                if (indexOf(Files.readAllBytes(f), needle) >= 0) {
                    found.add(f.getFileName().toString());
                }
            }
        }
        return found;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
