package io.claudesignal.sessions.adapters.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes databases in the format of the first (Python) daemon, as its design summary and the fixture
 * it left describe them, so that the upgrade is tested without the fixture being present.
 */
final class ReferenceDatabase {

    private ReferenceDatabase() {
    }

    record Row(String id, String projectPath, String threadId, String status, String context,
               String createdAt, String updatedAt) {
    }

    static void write(Path file, Row... rows) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("""
                    CREATE TABLE sessions (
                        id TEXT PRIMARY KEY,
                        project_path TEXT NOT NULL,
                        thread_id TEXT NOT NULL,
                        status TEXT NOT NULL,
                        context TEXT,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    )""");
            s.execute("CREATE INDEX idx_sessions_created_at ON sessions(created_at DESC)");
            s.execute("CREATE INDEX idx_sessions_thread_id ON sessions(thread_id)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (Row r : rows) {
                    insert.setString(1, r.id());
                    insert.setString(2, r.projectPath());
                    insert.setString(3, r.threadId());
                    insert.setString(4, r.status());
                    insert.setString(5, r.context());
                    insert.setString(6, r.createdAt());
                    insert.setString(7, r.updatedAt());
                    insert.executeUpdate();
                }
            }
        }
    }
}
