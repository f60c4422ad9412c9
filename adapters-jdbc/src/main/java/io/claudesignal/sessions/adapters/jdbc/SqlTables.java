package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.application.port.out.Change;
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
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Row2;
import org.jooq.Schema;
import org.jooq.SelectField;
import org.jooq.Table;
import org.jooq.UpdateSetMoreStep;
import org.jooq.impl.DSL;

/**
 * The tables of the shared core, taken from the adapter's jOOQ schema, generated at build time from its
 * own migrations ({@link SqlDialect#schema()}): the generated tables and columns are the only
 * description of the schema in Java, each with the type its adapter stores (a native {@code uuid}, or
 * text through a converter). This class picks the ones the core uses, checks once that each has the
 * Java type the core expects (a migration or codegen out of step fails at the first open, not on a
 * write), and says how a row of each becomes a domain value. See docs/architecture.md.
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

    public final Changes changes;

    public SqlTables(SqlDialect dialect) {
        this(dialect.schema());
    }

    /** @param generated the schema jOOQ generated from the adapter's migrations */
    public SqlTables(Schema generated) {
        sessions = new Sessions(table(generated, "sessions"));
        leases = new Leases(table(generated, "leases"));
        activityLogs = new ActivityLogs(table(generated, "activity_logs"));
        activities = new Activities(table(generated, "activities"));
        transitions = new Transitions(table(generated, "transitions"));
        daemons = new Daemons(table(generated, "daemons"));
        transcripts = new Transcripts(table(generated, "transcripts"));
        transcriptItems = new TranscriptItems(table(generated, "transcript_items"));
        changes = new Changes(table(generated, "changes"), table(generated, "change_log_pruned"));
    }

    private static Table<?> table(Schema generated, String name) {
        Table<?> table = generated.getTable(name);
        if (table == null) {
            throw new IllegalStateException("the generated schema has no table " + name
                    + ": generate it again from the migrations (see the adapter's pom)");
        }
        return table;
    }

    /** The generated column, checked to hold {@code type}. */
    @SuppressWarnings("unchecked")
    private static <T> Field<T> column(Table<?> table, String name, Class<T> type) {
        Field<?> field = table.field(name);
        if (field == null || field.getType() != type) {
            throw new IllegalStateException("the generated column " + table.getName() + "." + name + " is "
                    + (field == null ? "missing" : field.getType().getName()) + ", the shared core reads "
                    + type.getName() + ": generate it again from the migrations (see the adapter's pom)");
        }
        return (Field<T>) field;
    }

    private static Field<String> text(Table<?> table, String name) {
        return column(table, name, String.class);
    }

    private static Field<Long> bigint(Table<?> table, String name) {
        return column(table, name, Long.class);
    }

    private static Field<UUID> uuid(Table<?> table, String name) {
        return column(table, name, UUID.class);
    }

    private static Field<Instant> instant(Table<?> table, String name) {
        return column(table, name, Instant.class);
    }

    /** {@code sessions}: one row a session, its context included. */
    public static final class Sessions {
        public final Table<?> table;
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

        Sessions(Table<?> table) {
            this.table = table;
            id = uuid(table, "id");
            projectPath = text(table, "project_path");
            threadId = text(table, "thread_id");
            status = text(table, "status");
            createdAt = instant(table, "created_at");
            updatedAt = instant(table, "updated_at");
            version = bigint(table, "version");
            context = text(table, "context");
            forkedFromId = uuid(table, "forked_from_id");
            forkedFromSeq = bigint(table, "forked_from_seq");
            pinned = column(table, "pinned", Boolean.class);
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
        public UpdateSetMoreStep<?> pause(DSLContext ctx, Instant at, Field<String> newContext) {
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
        public final Table<?> table;
        public final Field<UUID> sessionId;
        public final Field<String> owner;
        public final Field<Long> token;
        public final Field<Instant> expiresAt;
        public final List<Field<?>> all;

        Leases(Table<?> table) {
            this.table = table;
            sessionId = uuid(table, "session_id");
            owner = text(table, "owner");
            token = bigint(table, "token");
            expiresAt = instant(table, "expires_at");
            all = List.of(sessionId, owner, token, expiresAt);
        }

        public Lease toLease(Record r) {
            return new Lease(new SessionId(r.get(sessionId)), new Actor(r.get(owner)), r.get(token), r.get(expiresAt));
        }
    }

    /** {@code activity_logs}: a session's newest entry number and its acknowledged marker. */
    public static final class ActivityLogs {
        public final Table<?> table;
        public final Field<UUID> sessionId;
        public final Field<Long> lastSeq;
        public final Field<Long> acknowledgedSeq;

        ActivityLogs(Table<?> table) {
            this.table = table;
            sessionId = uuid(table, "session_id");
            lastSeq = bigint(table, "last_seq");
            acknowledgedSeq = bigint(table, "acknowledged_seq");
        }
    }

    /** {@code activities}: the entries of the activity logs that are kept. */
    public static final class Activities {
        public final Table<?> table;
        public final Field<UUID> sessionId;
        public final Field<Long> seq;
        public final Field<String> type;
        public final Field<Instant> occurredAt;
        public final Field<String> details;
        public final List<Field<?>> all;

        Activities(Table<?> table) {
            this.table = table;
            sessionId = uuid(table, "session_id");
            seq = bigint(table, "seq");
            type = text(table, "type");
            occurredAt = instant(table, "occurred_at");
            details = text(table, "details");
            all = List.of(sessionId, seq, type, occurredAt, details);
        }

        public Activity toActivity(SessionId id, Record r) {
            return new Activity(id, r.get(seq), r.get(type), r.get(details), r.get(occurredAt));
        }
    }

    /** {@code transcripts}: a session's last transcript number handed out (it only goes up). */
    public static final class Transcripts {
        public final Table<?> table;
        public final Field<UUID> sessionId;
        public final Field<Long> lastSeq;

        Transcripts(Table<?> table) {
            this.table = table;
            sessionId = uuid(table, "session_id");
            lastSeq = bigint(table, "last_seq");
        }
    }

    /** {@code transcript_items}: the items, by (session, seq); the item itself last. */
    public static final class TranscriptItems {
        public final Table<?> table;
        public final Field<UUID> sessionId;
        public final Field<Long> seq;
        public final Field<String> key;
        public final Field<Instant> appendedAt;
        public final Field<String> item;
        /** The whole row, in this order. */
        public final List<Field<?>> all;

        TranscriptItems(Table<?> table) {
            this.table = table;
            sessionId = uuid(table, "session_id");
            seq = bigint(table, "seq");
            key = text(table, "item_key");
            appendedAt = instant(table, "appended_at");
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
        public final Table<?> table;
        public final Field<UUID> sessionId;
        public final Field<Long> seq;
        public final Field<String> fromStatus;
        public final Field<String> toStatus;
        public final Field<Instant> changedAt;
        public final Field<String> reason;
        public final Field<String> actor;
        public final List<Field<?>> all;

        Transitions(Table<?> table) {
            this.table = table;
            sessionId = uuid(table, "session_id");
            seq = bigint(table, "seq");
            fromStatus = text(table, "from_status");
            toStatus = text(table, "to_status");
            changedAt = instant(table, "changed_at");
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
        public final Table<?> table;
        public final Field<String> name;
        public final Field<Long> incarnation;
        public final Field<Instant> startedAt;

        Daemons(Table<?> table) {
            this.table = table;
            name = text(table, "name");
            incarnation = bigint(table, "incarnation");
            startedAt = instant(table, "started_at");
        }
    }

    /** {@code changes}, the change log, ordered by (xact, seq); {@code change_log_pruned}, how far pruning went. */
    public static final class Changes {
        public final Table<?> table;
        public final Field<Long> xact;
        public final Field<Long> seq;
        public final Field<UUID> sessionId;
        public final Field<String> kind;
        public final Field<String> actor;
        public final Field<Instant> changedAt;
        public final Field<Long> origin;
        public final Field<Long> writeId;
        public final Field<String> fromStatus;
        public final Field<String> toStatus;
        public final Field<String> reason;
        public final Field<Long> ref;
        public final Field<Long> appended;
        public final Field<Long> removed;
        /** A whole row, in the order {@link #toChange} reads it. */
        public final List<Field<?>> all;
        public final Table<?> pruned;
        public final Field<Integer> prunedId;
        public final Field<Long> prunedXact;
        public final Field<Long> prunedSeq;

        Changes(Table<?> table, Table<?> pruned) {
            this.table = table;
            xact = bigint(table, "xact");
            seq = bigint(table, "seq");
            sessionId = uuid(table, "session_id");
            kind = text(table, "kind");
            actor = text(table, "actor");
            changedAt = instant(table, "changed_at");
            origin = bigint(table, "origin");
            writeId = bigint(table, "write_id");
            fromStatus = text(table, "from_status");
            toStatus = text(table, "to_status");
            reason = text(table, "reason");
            ref = bigint(table, "ref");
            appended = bigint(table, "appended");
            removed = bigint(table, "removed");
            all = List.of(xact, seq, sessionId, kind, actor, changedAt, origin, writeId, fromStatus, toStatus, reason,
                    ref, appended, removed);
            this.pruned = pruned;
            prunedId = column(pruned, "only_row", Integer.class);
            prunedXact = bigint(pruned, "through_xact");
            prunedSeq = bigint(pruned, "through_seq");
        }

        /** The order of the log: (xact, seq). */
        public Row2<Long, Long> key() {
            return DSL.row(xact, seq);
        }

        /** A row read through {@link #all}, as the handle whose store is {@code self} sees it. */
        public Change toChange(Record r, long self) {
            return new Change.Entry(new SessionId(r.get(sessionId)), Change.Kind.valueOf(r.get(kind)),
                    new Actor(r.get(actor)), r.get(changedAt), r.get(writeId), status(r.get(fromStatus)),
                    status(r.get(toStatus)), r.get(reason), r.get(ref), r.get(appended), r.get(removed))
                    .at(r.get(seq), r.get(origin) == self);
        }

        private static SessionStatus status(String name) {
            return name == null ? null : SessionStatus.valueOf(name);
        }
    }
}
