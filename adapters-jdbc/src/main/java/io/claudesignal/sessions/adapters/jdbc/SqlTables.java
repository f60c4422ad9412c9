package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.ApprovalId;
import io.claudesignal.sessions.domain.ForkOrigin;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.Reply;
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

    private final Schema generated;
    public final Sessions sessions;
    public final Leases leases;
    public final ActivityLogs activityLogs;
    public final Activities activities;
    public final Transitions transitions;
    public final Daemons daemons;
    public final Transcripts transcripts;
    public final TranscriptItems transcriptItems;

    public final Changes changes;
    public final Approvals approvals;
    public final InboxMessages inbox;
    public final OutboxReplies outbox;

    public SqlTables(SqlDialect dialect) {
        this(dialect.schema());
    }

    /** @param generated the schema jOOQ generated from the adapter's migrations */
    public SqlTables(Schema generated) {
        this.generated = generated; // first: the tables below take their columns from it
        sessions = new Sessions();
        leases = new Leases();
        activityLogs = new ActivityLogs();
        activities = new Activities();
        transitions = new Transitions();
        daemons = new Daemons();
        transcripts = new Transcripts();
        transcriptItems = new TranscriptItems();
        changes = new Changes();
        approvals = new Approvals();
        inbox = new InboxMessages();
        outbox = new OutboxReplies();
    }

    private Table<?> table(String name) {
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
    public final class Sessions {
        public final Table<?> table = table("sessions");
        public final Field<UUID> id = uuid(table, "id");
        public final Field<String> projectPath = text(table, "project_path");
        public final Field<String> threadId = text(table, "thread_id");
        public final Field<String> status = text(table, "status");
        public final Field<Instant> createdAt = instant(table, "created_at");
        public final Field<Instant> updatedAt = instant(table, "updated_at");
        public final Field<Long> version = bigint(table, "version");
        public final Field<String> context = text(table, "context");
        /** Where a forked session came from: both null unless it is a fork. */
        public final Field<UUID> forkedFromId = uuid(table, "forked_from_id");
        public final Field<Long> forkedFromSeq = bigint(table, "forked_from_seq");
        /** Kept by retention whatever its age: INTEGER 0/1 in SQLite, BOOLEAN in PostgreSQL. */
        public final Field<Boolean> pinned = column(table, "pinned", Boolean.class);
        /** Everything but the context, in this order: a list never reads a context. */
        public final List<SelectField<?>> summary = List.of(id, projectPath, threadId, status, createdAt, updatedAt,
                version, pinned);
        /** The whole row, in this order. */
        public final List<Field<?>> all = List.of(id, projectPath, threadId, status, createdAt, updatedAt, version,
                context, forkedFromId, forkedFromSeq, pinned);

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
    public final class Leases {
        public final Table<?> table = table("leases");
        public final Field<UUID> sessionId = uuid(table, "session_id");
        public final Field<String> owner = text(table, "owner");
        public final Field<Long> token = bigint(table, "token");
        public final Field<Instant> expiresAt = instant(table, "expires_at");
        public final List<Field<?>> all = List.of(sessionId, owner, token, expiresAt);

        public Lease toLease(Record r) {
            return new Lease(new SessionId(r.get(sessionId)), new Actor(r.get(owner)), r.get(token), r.get(expiresAt));
        }
    }

    /** {@code activity_logs}: a session's newest entry number and its acknowledged marker. */
    public final class ActivityLogs {
        public final Table<?> table = table("activity_logs");
        public final Field<UUID> sessionId = uuid(table, "session_id");
        public final Field<Long> lastSeq = bigint(table, "last_seq");
        public final Field<Long> acknowledgedSeq = bigint(table, "acknowledged_seq");
    }

    /** {@code activities}: the entries of the activity logs that are kept. */
    public final class Activities {
        public final Table<?> table = table("activities");
        public final Field<UUID> sessionId = uuid(table, "session_id");
        public final Field<Long> seq = bigint(table, "seq");
        public final Field<String> type = text(table, "type");
        public final Field<Instant> occurredAt = instant(table, "occurred_at");
        public final Field<String> details = text(table, "details");
        public final List<Field<?>> all = List.of(sessionId, seq, type, occurredAt, details);

        public Activity toActivity(SessionId id, Record r) {
            return new Activity(id, r.get(seq), r.get(type), r.get(details), r.get(occurredAt));
        }
    }

    /** {@code transcripts}: a session's last transcript number handed out (it only goes up). */
    public final class Transcripts {
        public final Table<?> table = table("transcripts");
        public final Field<UUID> sessionId = uuid(table, "session_id");
        public final Field<Long> lastSeq = bigint(table, "last_seq");
    }

    /** {@code transcript_items}: the items, by (session, seq); the item itself last. */
    public final class TranscriptItems {
        public final Table<?> table = table("transcript_items");
        public final Field<UUID> sessionId = uuid(table, "session_id");
        public final Field<Long> seq = bigint(table, "seq");
        public final Field<String> key = text(table, "item_key");
        public final Field<Instant> appendedAt = instant(table, "appended_at");
        public final Field<String> item = text(table, "item");
        /** The whole row, in this order. */
        public final List<Field<?>> all = List.of(sessionId, seq, key, appendedAt, item);

        public TranscriptItem toItem(Record r) {
            return new TranscriptItem(new SessionId(r.get(sessionId)), r.get(seq), r.get(item),
                    Optional.ofNullable(r.get(key)), r.get(appendedAt));
        }
    }

    /** {@code transitions}: the history, one row a status change. */
    public final class Transitions {
        public final Table<?> table = table("transitions");
        public final Field<UUID> sessionId = uuid(table, "session_id");
        public final Field<Long> seq = bigint(table, "seq");
        public final Field<String> fromStatus = text(table, "from_status");
        public final Field<String> toStatus = text(table, "to_status");
        public final Field<Instant> changedAt = instant(table, "changed_at");
        public final Field<String> reason = text(table, "reason");
        public final Field<String> actor = text(table, "actor");
        public final List<Field<?>> all = List.of(sessionId, seq, fromStatus, toStatus, changedAt, reason, actor);

        public Transition toTransition(SessionId id, Record r) {
            return new Transition(id, SessionStatus.valueOf(r.get(fromStatus)), SessionStatus.valueOf(r.get(toStatus)),
                    r.get(changedAt), r.get(reason), new Actor(r.get(actor)));
        }
    }

    /** {@code daemons}: a daemon's name and its newest incarnation. */
    public final class Daemons {
        public final Table<?> table = table("daemons");
        public final Field<String> name = text(table, "name");
        public final Field<Long> incarnation = bigint(table, "incarnation");
        public final Field<Instant> startedAt = instant(table, "started_at");
    }

    /** {@code approvals}: one row an approval, by id; numbered in its session; the request itself last. */
    public final class Approvals {
        public final Table<?> table = table("approvals");
        public final Field<UUID> id = uuid(table, "id");
        public final Field<UUID> sessionId = uuid(table, "session_id");
        public final Field<Long> seq = bigint(table, "seq");
        public final Field<String> key = text(table, "request_key");
        public final Field<String> state = text(table, "state");
        public final Field<String> requestedBy = text(table, "requested_by");
        public final Field<Instant> requestedAt = instant(table, "requested_at");
        public final Field<Instant> expiresAt = instant(table, "expires_at");
        public final Field<Instant> decidedAt = instant(table, "decided_at");
        public final Field<String> decidedBy = text(table, "decided_by");
        public final Field<String> note = text(table, "note");
        public final Field<String> request = text(table, "request");
        /** The whole row, in this order. */
        public final List<Field<?>> all = List.of(id, sessionId, seq, key, state, requestedBy, requestedAt, expiresAt,
                decidedAt, decidedBy, note, request);

        /** The row as stored; the caller reads it as of now ({@link Approval#asOf}). */
        public Approval toApproval(Record r) {
            return new Approval(new ApprovalId(r.get(id)), new SessionId(r.get(sessionId)), r.get(seq), r.get(key),
                    r.get(request), Approval.State.valueOf(r.get(state)), new Actor(r.get(requestedBy)),
                    r.get(requestedAt), r.get(expiresAt), Optional.ofNullable(r.get(decidedAt)),
                    Optional.ofNullable(r.get(decidedBy)).map(Actor::new), Optional.ofNullable(r.get(note)));
        }
    }

    /** {@code changes}, the change log, ordered by (xact, seq); {@code change_log_pruned}, how far pruning went. */
    public final class Changes {
        public final Table<?> table = table("changes");
        public final Field<Long> xact = bigint(table, "xact");
        public final Field<Long> seq = bigint(table, "seq");
        public final Field<UUID> sessionId = uuid(table, "session_id");
        public final Field<String> kind = text(table, "kind");
        public final Field<String> actor = text(table, "actor");
        public final Field<Instant> changedAt = instant(table, "changed_at");
        public final Field<Long> origin = bigint(table, "origin");
        public final Field<Long> writeId = bigint(table, "write_id");
        public final Field<String> fromStatus = text(table, "from_status");
        public final Field<String> toStatus = text(table, "to_status");
        public final Field<String> reason = text(table, "reason");
        public final Field<Long> ref = bigint(table, "ref");
        public final Field<Long> appended = bigint(table, "appended");
        public final Field<Long> removed = bigint(table, "removed");
        /** A whole row, in the order {@link #toChange} reads it. */
        public final List<Field<?>> all = List.of(xact, seq, sessionId, kind, actor, changedAt, origin, writeId,
                fromStatus, toStatus, reason, ref, appended, removed);
        public final Table<?> pruned = table("change_log_pruned");
        public final Field<Integer> prunedId = column(pruned, "only_row", Integer.class);
        public final Field<Long> prunedXact = bigint(pruned, "through_xact");
        public final Field<Long> prunedSeq = bigint(pruned, "through_seq");

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

    /** {@code inbox_messages}: each session's messages from the person, by (session, seq); the message last. */
    public final class InboxMessages {
        public final Table<?> table = table("inbox_messages");
        public final Field<UUID> sessionId = uuid(table, "session_id");
        public final Field<Long> seq = bigint(table, "seq");
        public final Field<String> key = text(table, "message_key");
        public final Field<String> state = text(table, "state");
        public final Field<Instant> receivedAt = instant(table, "received_at");
        public final Field<String> message = text(table, "message");
        public final List<Field<?>> all = List.of(sessionId, seq, key, state, receivedAt, message);
        /** {@code inboxes}: per session, the last number handed out and how many messages are unhandled. */
        public final Table<?> counters = table("inboxes");
        public final Field<UUID> counterSession = uuid(counters, "session_id");
        public final Field<Long> lastSeq = bigint(counters, "last_seq");
        public final Field<Long> unhandled = bigint(counters, "unhandled");

        public InboxMessage toMessage(Record r) {
            return new InboxMessage(new SessionId(r.get(sessionId)), r.get(seq), r.get(message), r.get(key),
                    InboxMessage.State.valueOf(r.get(state)), r.get(receivedAt));
        }
    }

    /** {@code outbox_replies}: the replies to send, by store-wide number; the reply last. */
    public final class OutboxReplies {
        public final Table<?> table = table("outbox_replies");
        public final Field<Long> id = bigint(table, "reply_id");
        public final Field<UUID> sessionId = uuid(table, "session_id");
        public final Field<String> key = text(table, "reply_key");
        public final Field<String> state = text(table, "state");
        public final Field<Long> attempts = bigint(table, "attempts");
        public final Field<Instant> dueAt = instant(table, "due_at");
        public final Field<String> lastError = text(table, "last_error");
        public final Field<Instant> queuedAt = instant(table, "queued_at");
        public final Field<String> reply = text(table, "reply");
        public final List<Field<?>> all = List.of(id, sessionId, key, state, attempts, dueAt, lastError, queuedAt, reply);

        public Reply toReply(Record r) {
            return new Reply(r.get(id), new SessionId(r.get(sessionId)), r.get(reply), r.get(key),
                    Reply.State.valueOf(r.get(state)), Math.toIntExact(r.get(attempts)), r.get(dueAt),
                    Optional.ofNullable(r.get(lastError)), r.get(queuedAt));
        }
    }
}
