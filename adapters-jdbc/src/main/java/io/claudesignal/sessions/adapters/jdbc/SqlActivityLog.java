package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.ActivityRepository;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.CatchUp;
import io.claudesignal.sessions.domain.SessionId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/** The activity-log port on any SQL database: numbered entries, a bounded tail, an acknowledged marker. */
public final class SqlActivityLog implements ActivityRepository {

    private final SqlTransactions db;
    private final SqlRules rules;
    private final SqlTables.ActivityLogs logs;
    private final SqlTables.Activities activities;

    private final SqlChangeLog changes;

    public SqlActivityLog(SqlTransactions db, SqlRules rules, SqlChangeLog changes) {
        this.db = db;
        this.changes = changes;
        this.rules = rules;
        this.logs = rules.tables().activityLogs;
        this.activities = rules.tables().activities;
    }

    @Override
    public Activity append(SessionId id, String type, String details, WriteContext write, int keep) {
        return db.write(ctx -> {
            rules.lockExisting(ctx, id);
            write.stamp(); // once the session is held: see WriteContext
            rules.admit(ctx, id, write);
            // Statements rendered once (SqlHotStatements): jOOQ's rendering was most of an append's time.
            SqlHotStatements sql = rules.hot(ctx);
            Object idValue = sql.id(id);
            try {
                // Two plain statements rather than an upsert with RETURNING, which SQLite does not return on
                // its DO UPDATE branch; the session's lock (or the single writer) makes the pair atomic.
                long seq = 0;
                try (PreparedStatement bump = sql.bumpLog.prepare(ctx, idValue); ResultSet row = bump.executeQuery()) {
                    if (row.next()) {
                        seq = row.getLong(1);
                    }
                }
                if (seq == 0) {
                    try (PreparedStatement start = sql.startLog.prepare(ctx, idValue)) {
                        start.executeUpdate();
                    }
                    seq = 1;
                }
                Activity activity = new Activity(id, seq, type, details, write.at());
                try (PreparedStatement insert = sql.insertActivity.prepare(ctx, idValue, seq, type,
                        PrerenderedStatement.db(activities.occurredAt, activity.at()), details)) {
                    insert.executeUpdate();
                }
                if (seq > keep) {
                    try (PreparedStatement trim = sql.trimActivities.prepare(ctx, idValue, seq - keep)) {
                        trim.executeUpdate();
                    }
                }
                changes.record(ctx, Change.Entry.activity(id, seq, write));
                return activity;
            } catch (SQLException e) {
                throw new DataAccessException("appending an activity", e);
            }
        });
    }

    @Override
    public List<Activity> list(SessionId id) {
        return db.read(ctx -> {
            List<Activity> log = ctx.select(activities.all).from(activities.table)
                    .where(activities.sessionId.eq(id.value()))
                    .orderBy(activities.seq)
                    .fetch(r -> activities.toActivity(id, r));
            if (log.isEmpty()) {
                rules.requireSession(ctx, id);
            }
            return log;
        });
    }

    @Override
    public CatchUp catchUp(SessionId id) {
        return db.read(ctx -> {
            // One statement: the marker, the newest number and the entries after the marker from one snapshot.
            var rows = ctx.select(logs.acknowledgedSeq, logs.lastSeq, activities.seq, activities.type,
                            activities.details, activities.occurredAt)
                    .from(logs.table)
                    .leftJoin(activities.table).on(activities.sessionId.eq(logs.sessionId)
                            .and(activities.seq.gt(logs.acknowledgedSeq)))
                    .where(logs.sessionId.eq(id.value()))
                    .orderBy(activities.seq)
                    .fetch();
            if (rows.isEmpty()) {
                rules.requireSession(ctx, id);
                return new CatchUp(id, 0, 0, List.of());
            }
            List<Activity> unseen = new ArrayList<>();
            for (Record r : rows) {
                if (r.get(activities.seq) != null) {
                    unseen.add(activities.toActivity(id, r));
                }
            }
            Record first = rows.get(0);
            return new CatchUp(id, first.get(logs.acknowledgedSeq), first.get(logs.lastSeq), unseen);
        });
    }

    @Override
    public long acknowledge(SessionId id, long throughSeq) {
        return db.write(ctx -> {
            // One statement: never back, never past the newest entry, whatever else runs at the same time.
            Optional<Long> marker = ctx.update(logs.table)
                    .set(logs.acknowledgedSeq, DSL.greatest(logs.acknowledgedSeq,
                            DSL.least(DSL.val(throughSeq, logs.lastSeq), logs.lastSeq)))
                    .where(logs.sessionId.eq(id.value()))
                    .returning(logs.acknowledgedSeq)
                    .fetchOptional(logs.acknowledgedSeq);
            if (marker.isEmpty()) {
                rules.requireSession(ctx, id);
            }
            return marker.orElse(0L);
        });
    }
}
