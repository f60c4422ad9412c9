package io.claudesignal.sessions.adapters.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The savepoint of each work when {@link GroupCommitWriter} runs a batch again after a refusal, by
 * statements prepared once per writer connection. Through JDBC's
 * {@code setSavepoint} each would be formatted, compiled and finalised every time, which the
 * benchmarks measured at about as much as the INSERT it guards. The one name is reused: a work's
 * savepoint is always released before the next one begins.
 */
final class Savepoints {
    private final PreparedStatement begin;
    private final PreparedStatement release;
    private final PreparedStatement rollBackTo;

    Savepoints(Connection connection) throws SQLException {
        begin = connection.prepareStatement("SAVEPOINT work");
        release = connection.prepareStatement("RELEASE work");
        rollBackTo = connection.prepareStatement("ROLLBACK TO work");
    }

    void begin() throws SQLException {
        begin.execute();
    }

    void release() throws SQLException {
        release.execute();
    }

    /** Undoes everything since {@link #begin()} and ends the savepoint. */
    void rollBack() throws SQLException {
        rollBackTo.execute();
        release.execute();
    }
}
