package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.Transition;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the store's change log: what changed, on which session, when and by whom, written in the
 * same transaction as the change. It names the change, it does not carry it: the content (a context,
 * an activity's details, transcript items) stays where it is and is read when the event is built.
 *
 * @param seq      the change's position in the store-wide log (unique; per session, rising in commit
 *                 order; see docs/events.md for the order across sessions)
 * @param own      whether this handle (this adapter instance) made it; its listeners were told then
 * @param writeId  the {@link WriteContext#writeId()} of the write that made it
 * @param from     for {@link Kind#TRANSITIONED} and {@link Kind#RECOVERED}, the status before
 * @param to       for {@link Kind#TRANSITIONED} and {@link Kind#RECOVERED}, the status after
 * @param reason   for {@link Kind#TRANSITIONED} and {@link Kind#RECOVERED}, the history's reason
 * @param ref      for {@link Kind#ACTIVITY_APPENDED}, the activity's seq; for {@link Kind#TRANSCRIPT_CHANGED},
 *                 the number of the newest item appended (0 when none was); for {@link Kind#APPROVAL_REQUESTED}
 *                 and {@link Kind#APPROVAL_DECIDED}, the approval's number in its session; for
 *                 {@link Kind#MESSAGE_RECEIVED}, the message's seq; for {@link Kind#REPLY_QUEUED}, the reply's id
 * @param appended for {@link Kind#TRANSCRIPT_CHANGED}, how many items were appended
 * @param removed  for {@link Kind#TRANSCRIPT_CHANGED}, how many items were removed
 */
public record Change(long seq, SessionId sessionId, Kind kind, Actor actor, Instant at, boolean own, long writeId,
        Optional<SessionStatus> from, Optional<SessionStatus> to, Optional<String> reason, long ref, long appended,
        long removed) {

    /** How many rows a store keeps at least; older ones are pruned by the writers (see docs/events.md). */
    public static final int RETAINED = 10_000;

    /**
     * What a change was. {@link #RECOVERED} and {@link #TRANSCRIPT_COMPACTED} are not stored: a crash recovery is logged as
     * {@link #TRANSITIONED} with the reason {@link Transition#CRASH_RECOVERY}, so that the log's stored
     * kinds (and the tables' checks on them) stay as they are; it is told apart when the row is read.
     */
    public enum Kind {
        CREATED, TRANSITIONED, CONTEXT_CHANGED, ACTIVITY_APPENDED, TRANSCRIPT_CHANGED, FORKED,
        /** An approval was requested; {@code ref} is its number in the session. */
        APPROVAL_REQUESTED,
        /** An approval was decided (approved or rejected); {@code ref} is its number in the session. */
        APPROVAL_DECIDED,
        /** A message from the person was stored in the session's inbox; {@code ref} is its seq. */
        MESSAGE_RECEIVED,
        /** A reply was stored in the outbox; {@code ref} is its id. */
        REPLY_QUEUED,
        /** A crash recovery made the session PAUSED; {@code from}, {@code to} and {@code reason} are set as for a transition. */
        RECOVERED,
        /**
         * A compaction: stored as {@link #TRANSCRIPT_CHANGED} with 1 appended (the summary, {@code ref}
         * its number) and at least 1 removed, which no append, pop or clear records.
         */
        TRANSCRIPT_COMPACTED
    }

    public Change {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * What an adapter writes: everything but the position (the store assigns it) and the origin. Its
     * kind is the stored one, never {@link Kind#RECOVERED} (see {@link Kind}).
     */
    public record Entry(SessionId sessionId, Kind kind, Actor actor, Instant at, long writeId, SessionStatus from,
            SessionStatus to, String reason, long ref, long appended, long removed) {

        public Entry {
            if (kind == Kind.RECOVERED) {
                throw new IllegalArgumentException("a recovery is stored as TRANSITIONED with its reason");
            }
            if (kind == Kind.TRANSCRIPT_COMPACTED) {
                throw new IllegalArgumentException("a compaction is stored as TRANSCRIPT_CHANGED");
            }
        }

        public static Entry of(SessionId id, Kind kind, WriteContext write) {
            return new Entry(id, kind, write.actor(), write.at(), write.writeId(), null, null, null, 0, 0, 0);
        }

        public static Entry transition(SessionId id, SessionStatus from, SessionStatus to, WriteContext write) {
            return new Entry(id, Kind.TRANSITIONED, write.actor(), write.at(), write.writeId(), from, to,
                    write.reason(), 0, 0, 0);
        }

        public static Entry activity(SessionId id, long seq, WriteContext write) {
            return new Entry(id, Kind.ACTIVITY_APPENDED, write.actor(), write.at(), write.writeId(), null, null, null,
                    seq, 0, 0);
        }

        public static Entry transcript(SessionId id, long newestAppended, long appended, long removed, WriteContext write) {
            return new Entry(id, Kind.TRANSCRIPT_CHANGED, write.actor(), write.at(), write.writeId(), null, null, null,
                    newestAppended, appended, removed);
        }

        /**
         * A change that names one row by its number: an approval ({@link Kind#APPROVAL_REQUESTED},
         * {@link Kind#APPROVAL_DECIDED}; {@code ref} its number in the session), a message stored in the
         * inbox ({@link Kind#MESSAGE_RECEIVED}; its seq) or a reply in the outbox ({@link Kind#REPLY_QUEUED}; its id).
         */
        public static Entry of(SessionId id, Kind kind, long ref, WriteContext write) {
            return new Entry(id, kind, write.actor(), write.at(), write.writeId(), null, null, null, ref, 0, 0);
        }

        /** The change as read back: a transition whose reason is a crash recovery is a {@link Kind#RECOVERED}. */
        public Change at(long seq, boolean own) {
            Kind read = kind == Kind.TRANSITIONED && Transition.CRASH_RECOVERY.equals(reason) ? Kind.RECOVERED
                    : kind == Kind.TRANSCRIPT_CHANGED && appended == 1 && removed > 0 ? Kind.TRANSCRIPT_COMPACTED
                    : kind;
            return new Change(seq, sessionId, read, actor, at, own, writeId, Optional.ofNullable(from),
                    Optional.ofNullable(to), Optional.ofNullable(reason), ref, appended, removed);
        }
    }
}
