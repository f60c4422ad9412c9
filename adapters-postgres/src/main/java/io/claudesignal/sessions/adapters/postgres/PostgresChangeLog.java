package io.claudesignal.sessions.adapters.postgres;

import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.CHANGES;

import io.claudesignal.sessions.adapters.postgres.jooq.tables.records.ChangesRecord;
import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.ChangeFeed;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The change log of one open store on the schema: written by its repositories in their transactions
 * (each write also sends a {@code NOTIFY} on {@link #CHANNEL}, delivered at its commit), read by its
 * change feed. A follower waits with {@code LISTEN} on a connection of its own, outside the pool; a
 * lost notification or connection costs at most the follower's safety-net delay, as the log is read by
 * seq.
 */
final class PostgresChangeLog implements ChangeFeed {

    static final String CHANNEL = "sessions_changes";
    /** Pruning runs on one write in this many, so that it costs nearly nothing per write. */
    private static final int PRUNE_EVERY = 256;

    // Random, so that two opens of the schema (in one process or two) never share one.
    private final long origin = new SecureRandom().nextLong();
    private final PostgresDatabase db;
    private final String schema;

    PostgresChangeLog(PostgresDatabase db, String schema) {
        this.db = db;
        this.schema = schema;
    }

    /**
     * Records a change; the caller's last statements, since the advisory lock taken here (which makes
     * seq follow the commit order) is held until the commit.
     */
    void record(DSLContext ctx, Change.Entry e) {
        ctx.resultQuery("select pg_advisory_xact_lock(hashtext(current_schema() || '.changes'))").fetch();
        long seq = ctx.insertInto(CHANGES)
                .set(CHANGES.SEQ, DSL.field(DSL.select(DSL.coalesce(DSL.max(CHANGES.SEQ), 0L).plus(1)).from(CHANGES)))
                .set(CHANGES.SESSION_ID, e.sessionId().value())
                .set(CHANGES.KIND, e.kind().name())
                .set(CHANGES.ACTOR, e.actor().value())
                .set(CHANGES.CHANGED_AT, e.at())
                .set(CHANGES.ORIGIN, origin)
                .set(CHANGES.FROM_STATUS, e.from() == null ? null : e.from().name())
                .set(CHANGES.TO_STATUS, e.to() == null ? null : e.to().name())
                .set(CHANGES.REASON, e.reason())
                .set(CHANGES.REF, e.ref())
                .set(CHANGES.APPENDED, e.appended())
                .set(CHANGES.REMOVED, e.removed())
                .returning(CHANGES.SEQ)
                .fetchOne(CHANGES.SEQ);
        if (seq % PRUNE_EVERY == 0) {
            ctx.deleteFrom(CHANGES).where(CHANGES.SEQ.le(seq - Change.RETAINED)).execute();
        }
        // Several in one transaction with the same payload are delivered once.
        ctx.resultQuery("select pg_notify(?, current_schema())", CHANNEL).fetch();
    }

    @Override
    public long head() {
        return db.read(ctx -> ctx.select(DSL.max(CHANGES.SEQ)).from(CHANGES).fetchOptional(0, Long.class).orElse(0L));
    }

    @Override
    public List<Change> after(long seq, int limit) {
        return db.read(ctx -> ctx.selectFrom(CHANGES).where(CHANGES.SEQ.gt(seq)).orderBy(CHANGES.SEQ).limit(limit)
                .fetch(this::toChange));
    }

    private Change toChange(ChangesRecord r) {
        return new Change.Entry(new SessionId(r.getSessionId()), Change.Kind.valueOf(r.getKind()),
                new Actor(r.getActor()), r.getChangedAt(),
                r.getFromStatus() == null ? null : SessionStatus.valueOf(r.getFromStatus()),
                r.getToStatus() == null ? null : SessionStatus.valueOf(r.getToStatus()),
                r.getReason(), r.getRef(), r.getAppended(), r.getRemoved())
                .at(r.getSeq(), r.getOrigin() == origin);
    }

    @Override
    public Watch watch() {
        return new ListenWatch();
    }

    /** Waits for a notification of this schema on a LISTEN connection of its own. */
    private final class ListenWatch implements Watch {

        private Connection connection;

        @Override
        public void await(long seq, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                boolean fresh = connection == null;
                if (fresh) {
                    connection = DriverManager.getConnection(db.url().jdbc());
                    try (Statement s = connection.createStatement()) {
                        s.execute("LISTEN " + CHANNEL);
                    }
                    return; // notifications sent before the LISTEN are lost: the caller reads first
                }
                PGConnection listening = connection.unwrap(PGConnection.class);
                long left;
                while ((left = deadline - System.nanoTime()) > 0) {
                    PGNotification[] got = listening.getNotifications((int) Math.max(1, left / 1_000_000));
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    if (got != null) {
                        for (PGNotification n : got) {
                            if (schema.equals(n.getParameter())) {
                                return;
                            }
                        }
                    }
                }
            } catch (SQLException e) {
                close(); // the next wait connects afresh
                throw PostgresErrors.translate(db.url(), "listening for changes", e);
            }
        }

        @Override
        public void close() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // The server drops the LISTEN with the session.
                }
                connection = null;
            }
        }
    }
}
