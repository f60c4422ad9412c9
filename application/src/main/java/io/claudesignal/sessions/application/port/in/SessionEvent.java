package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.TranscriptItem;
import io.claudesignal.sessions.domain.Transition;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Something that happened to a session, told to listeners after it was committed: by this handle or
 * by any other handle or process on the same store (see {@code docs/events.md}). Each event names the
 * actor that made the change.
 */
public sealed interface SessionEvent {

    SessionId sessionId();

    record Created(Session session, Actor actor) implements SessionEvent {
        @Override
        public SessionId sessionId() {
            return session.id();
        }
    }

    /**
     * A status change asked for through the API (recovery has its own event); the transition names
     * its actor. The session is as stored when the event was built: for a change another process
     * made, it may already show a later change, whose own event follows.
     */
    record Transitioned(Session session, Transition transition) implements SessionEvent {
        @Override
        public SessionId sessionId() {
            return session.id();
        }
    }

    record ContextChanged(Session session, Actor actor) implements SessionEvent {
        @Override
        public SessionId sessionId() {
            return session.id();
        }
    }

    record ActivityAppended(Activity activity, Actor actor) implements SessionEvent {
        @Override
        public SessionId sessionId() {
            return activity.sessionId();
        }
    }

    /**
     * The session's transcript changed: {@code appended} holds the items added (empty for a removal, or
     * for an idempotent append that found its key), {@code removed} how many items were removed.
     */
    record TranscriptChanged(SessionId sessionId, List<TranscriptItem> appended, long removed, Actor actor)
            implements SessionEvent {
        public TranscriptChanged {
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(actor, "actor");
            appended = List.copyOf(appended);
        }
    }

    /**
     * An approval was requested ({@code Approvals.request}); {@code approval} is as stored when the event
     * was built (for another process's request, perhaps decided since: that decision's event follows).
     */
    record ApprovalRequested(Approval approval, Actor actor) implements SessionEvent {
        public ApprovalRequested {
            Objects.requireNonNull(approval, "approval");
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public SessionId sessionId() {
            return approval.sessionId();
        }
    }

    /**
     * An approval was decided: {@code approval.state()} is APPROVED or REJECTED, with who decided and
     * their note. (Expiry writes nothing and is no event; a cancellation is told by the session's
     * {@link Transitioned} or {@link Recovered} out of ACTIVE, which cancels every pending approval.)
     */
    record ApprovalDecided(Approval approval, Actor actor) implements SessionEvent {
        public ApprovalDecided {
            Objects.requireNonNull(approval, "approval");
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public SessionId sessionId() {
            return approval.sessionId();
        }
    }

    /**
     * The session's transcript was compacted ({@code Transcripts.compact}): {@code removed} items
     * numbered up to {@code throughSeq} were replaced by {@code summary}, which is numbered
     * {@code throughSeq}. For another process's compaction the summary is read when the event is
     * built: empty when a later change already removed or replaced it (that change's event follows).
     */
    record TranscriptCompacted(SessionId sessionId, long throughSeq, Optional<TranscriptItem> summary, long removed,
            Actor actor) implements SessionEvent {
        public TranscriptCompacted {
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(actor, "actor");
        }
    }

    /** A session was made by {@code Sessions.fork}; {@code session.forkedFrom()} names its parent. */
    record Forked(Session session, Actor actor) implements SessionEvent {
        @Override
        public SessionId sessionId() {
            return session.id();
        }
    }

    /** A message from the person was stored in the session's inbox (a duplicate of one stored is not told). */
    record MessageReceived(InboxMessage message, Actor actor) implements SessionEvent {
        @Override
        public SessionId sessionId() {
            return message.sessionId();
        }
    }

    /** A reply was stored in the outbox, due now (a duplicate of one stored is not told). */
    record ReplyQueued(Reply reply, Actor actor) implements SessionEvent {
        @Override
        public SessionId sessionId() {
            return reply.sessionId();
        }
    }

    /**
     * This handle's lease on the session was found lost (at a renewal, or when a fenced write was
     * refused): another daemon or a recovery took the session over, and this one must stop running it.
     */
    record LeaseLost(Lease lease) implements SessionEvent {
        @Override
        public SessionId sessionId() {
            return lease.sessionId();
        }
    }

    /** Crash recovery paused the session: its owner was gone. */
    record Recovered(Transition transition) implements SessionEvent {
        @Override
        public SessionId sessionId() {
            return transition.sessionId();
        }
    }

    /**
     * Events may have been missed: this handle's listener fell more than its backlog behind the store's
     * change log, or the log was pruned past the position this handle had read. The listener should
     * re-read what it cares about ({@code find}, {@code list}, {@code held}); events after this one
     * follow on from {@code position} without a gap.
     *
     * @param position the seq of the store's change log up to which events were skipped
     * @param reason   why, in words: {@code "backlog"} or {@code "pruned"}
     */
    record Resync(long position, String reason) implements SessionEvent {

        /** What {@link #sessionId()} returns: a resync concerns every session. */
        public static final SessionId EVERY_SESSION = new SessionId(new UUID(0, 0));

        public Resync {
            Objects.requireNonNull(reason, "reason");
        }

        /** {@link #EVERY_SESSION}: any session may have missed events. */
        @Override
        public SessionId sessionId() {
            return EVERY_SESSION;
        }
    }
}
