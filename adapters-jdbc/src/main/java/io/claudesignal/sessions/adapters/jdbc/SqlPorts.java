package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.application.port.out.ChangeFeed;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.SessionRepository;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import java.util.function.Supplier;

/**
 * The ports of one SQL store, wired once over an adapter's transactions, dialect, daemon-name lock,
 * log follower and files: what each SQL adapter's public face hands out.
 */
public final class SqlPorts {

    private final SqlSessions repository;
    private final SqlTranscripts transcripts;
    private final SqlInbox inbox;
    private final SqlOutbox outbox;
    private final SqlOperations operations;
    private final SqlDaemonNames daemonNames;

    public SqlPorts(SqlTransactions db, SqlDialect dialect, SqlDaemonNames.Lock names,
            Supplier<ChangeFeed.Watch> follower, SqlOperations.Files files) {
        this.daemonNames = new SqlDaemonNames(names);
        SqlChangeLog changes = new SqlChangeLog(db, dialect, follower);
        this.repository = new SqlSessions(db, dialect, daemonNames, changes);
        SqlRules rules = new SqlRules(dialect);
        this.transcripts = new SqlTranscripts(db, rules, changes);
        this.inbox = new SqlInbox(db, rules, changes);
        this.outbox = new SqlOutbox(db, rules, changes);
        this.operations = new SqlOperations(db, dialect, files);
    }

    public SessionRepository repository() {
        return repository;
    }

    public Persistence persistence() {
        return repository.persistence(transcripts).withMessages(inbox, outbox);
    }

    public StoreOperations operations() {
        return operations;
    }

    /**
     * Closes the database by {@code closing}, then releases the daemon names the store holds: after its
     * last write, so that a successor never starts under a live handle.
     */
    public void close(Runnable closing) {
        try {
            closing.run();
        } finally {
            daemonNames.close();
        }
    }
}
