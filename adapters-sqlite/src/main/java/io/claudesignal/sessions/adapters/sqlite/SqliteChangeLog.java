package io.claudesignal.sessions.adapters.sqlite;

import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.CHANGES;

import io.claudesignal.sessions.adapters.sqlite.jooq.tables.records.ChangesRecord;
import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.ChangeFeed;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The change log of one open store on the file: written by its repositories in their transactions,
 * read by its change feed. Waiting for others' commits asks SQLite's {@code PRAGMA data_version} on a
 * connection of its own every {@link #CHECK_EVERY}: a counter in shared memory, no table is read, so
 * an idle store costs next to nothing.
 */
final class SqliteChangeLog implements ChangeFeed {

    /** How often the waiting feed looks whether another connection committed: the bound on the delay. */
    static final Duration CHECK_EVERY = Duration.ofMillis(100);
    /** Pruning runs on one write in this many, so that it costs nearly nothing per write. */
    private static final int PRUNE_EVERY = 256;

    // Random, so that two opens of the file (in one process or two) never share one.
    private final long origin = new SecureRandom().nextLong();
    private final SqliteDatabase db;
    private final Connections connections;

    SqliteChangeLog(SqliteDatabase db, Connections connections) {
        this.db = db;
        this.connections = connections;
    }

    /** Records a change in the write's own transaction, and now and then drops the oldest rows. */
    void record(DSLContext ctx, Change.Entry e) {
        long seq = ctx.insertInto(CHANGES)
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
    }

    @Override
    public long head() {
        return db.read(ctx -> ctx.select(DSL.max(CHANGES.SEQ)).from(CHANGES).fetchOptional(0, Long.class)
                .orElse(0L));
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
        return new DataVersionWatch();
    }

    /** Waits by asking {@code PRAGMA data_version} on a read-only connection of its own. */
    private final class DataVersionWatch implements Watch {

        private Connection connection;
        private PreparedStatement dataVersion; // prepared once: the check runs ten times a second
        private long seen = -1;

        @Override
        public void await(long seq, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long version = dataVersion();
                // The first look has nothing to compare with: say "maybe", and the caller reads.
                boolean changed = seen < 0 || version != seen;
                seen = version;
                long left = deadline - System.nanoTime();
                if (changed || left <= 0) {
                    return;
                }
                Thread.sleep(Math.min(CHECK_EVERY.toMillis(), Math.max(1, left / 1_000_000)));
            }
        }

        /** How many commits other connections made to the file, as this connection counts them. */
        private long dataVersion() {
            try {
                if (connection == null) {
                    connection = connections.reader();
                    dataVersion = connection.prepareStatement("PRAGMA data_version");
                }
                try (ResultSet r = dataVersion.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            } catch (SQLException e) {
                close(); // the next wait opens a fresh one
                throw SqliteErrors.translate(db.file(), "watching for changes", e);
            }
        }

        @Override
        public void close() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // Closing a read-only connection loses nothing.
                }
                connection = null;
            }
        }
    }
}
