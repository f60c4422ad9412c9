package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.ForkOrigin;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.TranscriptItem;
import io.claudesignal.sessions.domain.Transition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectField;
import org.jooq.Table;
import org.jooq.UpdateSetMoreStep;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The tables every SQL adapter's migrations create, by name, typed through the dialect (ids and
 * instants are stored differently), and how a row of each becomes a domain value. Each adapter's
 * generated jOOQ code stays its own (built from its migrations); the shared core needs only these
 * names, which the migrations of both databases spell alike.
 */
public final class SqlTables {

    public final Sessions sessions;
    public final Leases leases;
    public final ActivityLogs activityLogs;
    public final Activities activities;
    public final Transitions transitions;
    public final Daemons daemons;
    public final Transcripts transcripts;
    public final TranscriptItems transcriptItems;

    public SqlTables(SqlDialect dialect) {
        DataType<UUID> uuid = dialect.uuidType();
        DataType<Instant> instant = dialect.instantType();
        sessions = new Sessions(uuid, instant);
        leases = new Leases(uuid, instant);
        activityLogs = new ActivityLogs(uuid);
        activities = new Activities(uuid, instant);
        transitions = new Transitions(uuid, instant);
        daemons = new Daemons(instant);
        transcripts = new Transcripts(uuid);
        transcriptItems = new TranscriptItems(uuid, instant);
    }

    private static <T> Field<T> column(Table<?> table, String name, DataType<T> type) {
        return DSL.field(DSL.name(table.getName(), name), type);
    }

    private static Field<String> text(Table<?> table, String name) {
        return column(table, name, SQLDataType.VARCHAR);
    }

    private static Field<Long> bigint(Table<?> table, String name) {
        return column(table, name, SQLDataType.BIGINT);
    }

    /** {@code sessions}: one row a session, its context included. */
    public static final class Sessions {
        public final Table<Record> table = DSL.table(DSL.name("sessions"));
        public final Field<UUID> id;
        public final Field<String> projectPath;
        public final Field<String> threadId;
        public final Field<String> status;
        public final Field<Instant> createdAt;
        public final Field<Instant> updatedAt;
        public final Field<Long> version;
        public final Field<String> context;
        /** Where a forked session came from: both null unless it is a fork. */
        public final Field<UUID> forkedFromId;
        public final Field<Long> forkedFromSeq;
        /** Kept by retention whatever its age: INTEGER 0/1 in SQLite, BOOLEAN in PostgreSQL. */
        public final Field<Boolean> pinned;
        /** Everything but the context, in this order: a list never reads a context. */
        public final List<SelectField<?>> summary;
        /** The whole row, in this order. */
        public final List<Field<?>> all;

        Sessions(DataType<UUID> uuid, DataType<Instant> instant) {
            id = column(table, "id", uuid);
            projectPath = text(table, "project_path");
            threadId = text(table, "thread_id");
            status = text(table, "status");
            createdAt = column(table, "created_at", instant);
            updatedAt = column(table, "updated_at", instant);
            version = bigint(table, "version");
            context = text(table, "context");
            forkedFromId = column(table, "forked_from_id", uuid);
            forkedFromSeq = bigint(table, "forked_from_seq");
            pinned = column(table, "pinned", SQLDataType.BOOLEAN);
            summary = List.of(id, projectPath, threadId, status, createdAt, updatedAt, version, pinned);
            all = List.of(id, projectPath, threadId, status, createdAt, updatedAt, version, context, forkedFromId,
                    forkedFromSeq, pinned);
        }

        public Session toSession(Record r) {
            return new Session(new SessionId(r.get(id)), r.get(projectPath), r.get(threadId),
                    SessionStatus.valueOf(r.get(status)), r.get(context), r.get(createdAt), r.get(updatedAt),
                    r.get(version), Optional.ofNullable(r.get(forkedFromId))
                            .map(parent -> new ForkOrigin(new SessionId(parent), r.get(forkedFromSeq))),
                    Boolean.TRUE.equals(r.get(pinned)));
        }

        /** Pauses sessions at {@code at} (a crash recovery), their context set to {@code newContext}; add the WHERE. */
        public UpdateSetMoreStep<Record> pause(DSLContext ctx, Instant at, Field<String> newContext) {
            return ctx.update(table)
                    .set(status, SessionStatus.PAUSED.name())
                    .set(version, version.plus(1))
                    .set(updatedAt, DSL.greatest(updatedAt, DSL.val(at, updatedAt)))
                    .set(context, newContext);
        }

        public SessionSummary toSummary(Record r) {
            return new SessionSummary(new SessionId(r.get(id)), r.get(projectPath), r.get(threadId),
                    SessionStatus.valueOf(r.get(status)), r.get(createdAt), r.get(updatedAt), r.get(version),
                    Boolean.TRUE.equals(r.get(pinned)));
        }
    }

    /** {@code leases}: at most one a session, only on ACTIVE sessions. */
    public static final class Leases {
        public final Table<Record> table = DSL.table(DSL.name("leases"));
        public final Field<UUID> sessionId;
        public final Field<String> owner;
        public final Field<Long> token;
        public final Field<Instant> expiresAt;
        public final List<Field<?>> all;

        Leases(DataType<UUID> uuid, DataType<Instant> instant) {
            sessionId = column(table, "session_id", uuid);
            owner = text(table, "owner");
            token = bigint(table, "token");
            expiresAt = column(table, "expires_at", instant);
            all = List.of(sessionId, owner, token, expiresAt);
        }

        public Lease toLease(Record r) {
            return new Lease(new SessionId(r.get(sessionId)), new Actor(r.get(owner)), r.get(token), r.get(expiresAt));
        }
    }

    /** {@code activity_logs}: a session's newest entry number and its acknowledged marker. */
    public static final class ActivityLogs {
        public final Table<Record> table = DSL.table(DSL.name("activity_logs"));
        public final Field<UUID> sessionId;
        public final Field<Long> lastSeq;
        public final Field<Long> acknowledgedSeq;

        ActivityLogs(DataType<UUID> uuid) {
            sessionId = column(table, "session_id", uuid);
            lastSeq = bigint(table, "last_seq");
            acknowledgedSeq = bigint(table, "acknowledged_seq");
        }
    }

    /** {@code activities}: the entries of the activity logs that are kept. */
    public static final class Activities {
        public final Table<Record> table = DSL.table(DSL.name("activities"));
        public final Field<UUID> sessionId;
        public final Field<Long> seq;
        public final Field<String> type;
        public final Field<Instant> occurredAt;
        public final Field<String> details;
        public final List<Field<?>> all;

        Activities(DataType<UUID> uuid, DataType<Instant> instant) {
            sessionId = column(table, "session_id", uuid);
            seq = bigint(table, "seq");
            type = text(table, "type");
            occurredAt = column(table, "occurred_at", instant);
            details = text(table, "details");
            all = List.of(sessionId, seq, type, occurredAt, details);
        }

        public Activity toActivity(SessionId id, Record r) {
            return new Activity(id, r.get(seq), r.get(type), r.get(details), r.get(occurredAt));
        }
    }

    /** {@code transcripts}: a session's last transcript number handed out (it only goes up). */
    public static final class Transcripts {
        public final Table<Record> table = DSL.table(DSL.name("transcripts"));
        public final Field<UUID> sessionId;
        public final Field<Long> lastSeq;

        Transcripts(DataType<UUID> uuid) {
            sessionId = column(table, "session_id", uuid);
            lastSeq = bigint(table, "last_seq");
        }
    }

    /** {@code transcript_items}: the items, by (session, seq); the item itself last. */
    public static final class TranscriptItems {
        public final Table<Record> table = DSL.table(DSL.name("transcript_items"));
        public final Field<UUID> sessionId;
        public final Field<Long> seq;
        public final Field<String> key;
        public final Field<Instant> appendedAt;
        public final Field<String> item;
        /** The whole row, in this order. */
        public final List<Field<?>> all;

        TranscriptItems(DataType<UUID> uuid, DataType<Instant> instant) {
            sessionId = column(table, "session_id", uuid);
            seq = bigint(table, "seq");
            key = text(table, "item_key");
            appendedAt = column(table, "appended_at", instant);
            item = text(table, "item");
            all = List.of(sessionId, seq, key, appendedAt, item);
        }

        public TranscriptItem toItem(Record r) {
            return new TranscriptItem(new SessionId(r.get(sessionId)), r.get(seq), r.get(item),
                    Optional.ofNullable(r.get(key)), r.get(appendedAt));
        }
    }

    /** {@code transitions}: the history, one row a status change. */
    public static final class Transitions {
        public final Table<Record> table = DSL.table(DSL.name("transitions"));
        public final Field<UUID> sessionId;
        public final Field<Long> seq;
        public final Field<String> fromStatus;
        public final Field<String> toStatus;
        public final Field<Instant> changedAt;
        public final Field<String> reason;
        public final Field<String> actor;
        public final List<Field<?>> all;

        Transitions(DataType<UUID> uuid, DataType<Instant> instant) {
            sessionId = column(table, "session_id", uuid);
            seq = bigint(table, "seq");
            fromStatus = text(table, "from_status");
            toStatus = text(table, "to_status");
            changedAt = column(table, "changed_at", instant);
            reason = text(table, "reason");
            actor = text(table, "actor");
            all = List.of(sessionId, seq, fromStatus, toStatus, changedAt, reason, actor);
        }

        public Transition toTransition(SessionId id, Record r) {
            return new Transition(id, SessionStatus.valueOf(r.get(fromStatus)), SessionStatus.valueOf(r.get(toStatus)),
                    r.get(changedAt), r.get(reason), new Actor(r.get(actor)));
        }
    }

    /** {@code daemons}: a daemon's name and its newest incarnation. */
    public static final class Daemons {
        public final Table<Record> table = DSL.table(DSL.name("daemons"));
        public final Field<String> name;
        public final Field<Long> incarnation;
        public final Field<Instant> startedAt;

        Daemons(DataType<Instant> instant) {
            name = text(table, "name");
            incarnation = bigint(table, "incarnation");
            startedAt = column(table, "started_at", instant);
        }
    }
}
