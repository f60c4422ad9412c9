package io.claudesignal.sessions.adapters.sqlite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.sqlite.SQLiteConfig;

/**
 * The negative control of {@link MultiProcessTest}: the same read-modify-write as {@link CounterWorker},
 * but with plain JDBC and sqlite-jdbc's default DEFERRED transactions, as code that did not know better
 * would write it. With another process writing in between its read and its write, the upgrade of its
 * read lock fails with "database is locked" at once, whatever the busy timeout.
 */
public final class DeferredCounterWorker {

    private DeferredCounterWorker() {
    }

    public static void main(String[] args) throws Exception {
        String id = args[1];
        int increments = Integer.parseInt(args[2]);
        ObjectMapper json = new ObjectMapper();
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        config.setTransactionMode(SQLiteConfig.TransactionMode.DEFERRED);
        int failures = 0;
        String firstError = "";
        try (Connection c = config.createConnection("jdbc:sqlite:" + args[0])) {
            System.out.println("READY");
            System.out.flush();
            System.in.read(); // start together with the others
            c.setAutoCommit(false);
            for (int i = 0; i < increments; i++) {
                try {
                    String context;
                    try (PreparedStatement read = c.prepareStatement("SELECT context FROM sessions WHERE id = ?")) {
                        read.setString(1, id);
                        try (ResultSet rs = read.executeQuery()) {
                            rs.next();
                            context = rs.getString(1);
                        }
                    }
                    ObjectNode node = (ObjectNode) json.readTree(context);
                    node.put("count", node.path("count").asLong() + 1);
                    try (PreparedStatement write = c.prepareStatement("UPDATE sessions SET context = ? WHERE id = ?")) {
                        write.setString(1, json.writeValueAsString(node));
                        write.setString(2, id);
                        write.executeUpdate();
                    }
                    c.commit();
                } catch (java.sql.SQLException e) {
                    failures++;
                    if (firstError.isEmpty()) {
                        firstError = e.getMessage();
                    }
                    c.rollback();
                }
            }
        }
        System.out.println("failures " + failures + " first error: " + firstError.replaceAll("\\s+", " "));
    }
}
