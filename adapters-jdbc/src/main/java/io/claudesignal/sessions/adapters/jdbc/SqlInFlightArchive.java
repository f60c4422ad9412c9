package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.SessionId;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * A session's approvals, inbox and outbox as an export reads them and an import restores them, inside
 * {@link SqlOperations}' transactions. Kept out of {@link SqlApprovals}, {@link SqlInbox} and
 * {@link SqlOutbox}, whose statements are the hot path: these run once per session moved.
 */
final class SqlInFlightArchive {

    /** Ids per {@code IN (...)}: well under SQLite's historical 999 parameters. */
    private static final int IDS_PER_QUERY = 500;

    private final SqlTables.Approvals approvals;
    private final SqlTables.InboxMessages inbox;
    private final SqlTables.OutboxReplies outbox;

    SqlInFlightArchive(SqlTables tables) {
        this.approvals = tables.approvals;
        this.inbox = tables.inbox;
        this.outbox = tables.outbox;
    }

    /** The session's approvals by number, as stored (not as of now: a line is the same whenever it is written). */
    List<Approval> approvals(DSLContext ctx, SessionId id) {
        return ctx.select(approvals.all).from(approvals.table).where(approvals.sessionId.eq(id.value()))
                .orderBy(approvals.seq).fetch(approvals::toApproval);
    }

    List<InboxMessage> inbox(DSLContext ctx, SessionId id) {
        return ctx.select(inbox.all).from(inbox.table).where(inbox.sessionId.eq(id.value()))
                .orderBy(inbox.seq).fetch(inbox::toMessage);
    }

    List<Reply> outbox(DSLContext ctx, SessionId id) {
        return ctx.select(outbox.all).from(outbox.table).where(outbox.sessionId.eq(id.value()))
                .orderBy(outbox.id).fetch(outbox::toReply);
    }

    /**
     * Writes them for the session just inserted, in the caller's transaction: the approvals under their
     * own ids (refused if another session holds one: ids are store-wide), the messages under their
     * numbers with the counter row that later receives number after, and the replies numbered anew by
     * this store, in their order.
     *
     * @throws InvalidInputException when an approval's id is in use (the transaction is then rolled back)
     */
    void restore(DSLContext ctx, UUID session, List<Approval> approved, List<InboxMessage> messages, List<Reply> replies) {
        for (int from = 0; from < approved.size(); from += IDS_PER_QUERY) {
            List<UUID> ids = approved.subList(from, Math.min(approved.size(), from + IDS_PER_QUERY)).stream()
                    .map(a -> a.id().value()).toList();
            UUID taken = ctx.select(approvals.id).from(approvals.table).where(approvals.id.in(ids)).limit(1)
                    .fetchOne(approvals.id);
            if (taken != null) {
                throw new InvalidInputException("approvals.id", taken + " is the id of an approval in this store already");
            }
        }
        for (Approval a : approved) {
            ctx.insertInto(approvals.table).set(approvals.id, a.id().value()).set(approvals.sessionId, session)
                    .set(approvals.seq, a.seq()).set(approvals.key, a.key()).set(approvals.state, a.state().name())
                    .set(approvals.requestedBy, a.requestedBy().value()).set(approvals.requestedAt, a.requestedAt())
                    .set(approvals.expiresAt, a.expiresAt()).set(approvals.decidedAt, a.decidedAt().orElse(null))
                    .set(approvals.decidedBy, a.decidedBy().map(actor -> actor.value()).orElse(null))
                    .set(approvals.note, a.note().orElse(null)).set(approvals.request, a.request())
                    .execute();
        }
        if (!messages.isEmpty()) {
            long unhandled = messages.stream().filter(m -> m.state() != InboxMessage.State.DONE).count();
            ctx.insertInto(inbox.counters, inbox.counterSession, inbox.lastSeq, inbox.unhandled)
                    .values(session, messages.get(messages.size() - 1).seq(), unhandled).execute();
            for (InboxMessage m : messages) {
                ctx.insertInto(inbox.table, inbox.sessionId, inbox.seq, inbox.key, inbox.state, inbox.receivedAt,
                                inbox.message)
                        .values(session, m.seq(), m.key(), m.state().name(), m.receivedAt(), m.json()).execute();
            }
        }
        // One by one: each takes the next store-wide number, so their order is their enqueue order.
        for (Reply r : replies) {
            ctx.insertInto(outbox.table, outbox.sessionId, outbox.key, outbox.state, outbox.attempts, outbox.dueAt,
                            outbox.lastError, outbox.queuedAt, outbox.reply)
                    .values(session, r.key(), r.state().name(), (long) r.attempts(), r.dueAt(), r.lastError().orElse(null),
                            r.queuedAt(), r.json())
                    .execute();
        }
    }
}
