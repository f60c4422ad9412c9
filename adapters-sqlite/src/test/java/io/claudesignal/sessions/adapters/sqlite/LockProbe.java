package io.claudesignal.sessions.adapters.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/**
 * A child process for {@link LockHygieneTest}: tries {@code BEGIN IMMEDIATE} on a database with no
 * busy timeout and prints {@code BUSY} when another process holds the write lock, {@code GOT} when it
 * got it (and rolls back at once).
 */
public final class LockProbe {

    private LockProbe() {
    }

    public static void main(String[] args) throws Exception {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(0);
        try (Connection c = config.createConnection("jdbc:sqlite:" + args[0]); Statement s = c.createStatement()) {
            try {
                s.execute("BEGIN IMMEDIATE");
                s.execute("ROLLBACK");
                System.out.println("GOT");
            } catch (SQLException e) {
                System.out.println(SqliteErrors.primaryCode(e) == 5 ? "BUSY " + e.getMessage() : "ERROR " + e.getMessage());
            }
        }
    }
}
