package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.ApprovalConflictException;
import io.claudesignal.sessions.domain.ApprovalId;
import io.claudesignal.sessions.domain.ApprovalNotFoundException;
import io.claudesignal.sessions.domain.IdPrefix;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where approvals are kept: one row per approval beside its session, deleted with it. Every method is
 * one atomic step. "Now" (for deadlines) is read inside the step, from the store's own clock where it
 * has one every client shares (as for leases), else from {@code clock}; approvals are returned as they
 * read at that moment ({@link Approval#asOf}).
 *
 * <p>Cancelling is not a method here: the session's own status change cancels its pending approvals
 * in its transaction ({@link SessionRepository#compareAndSetStatus}, {@link SessionRepository#update},
 * {@link SessionRepository#recoverAbandoned} moving a session out of ACTIVE).
 */
public interface ApprovalRepository {

    /**
     * Stores a PENDING approval with the next number of the session, requested at {@code write.at()},
     * unless the session holds one with {@code key}: then that one is returned and nothing is written.
     *
     * @throws StatusMismatchException  when the session is not ACTIVE
     * @throws SessionNotFoundException when there is no such session
     * @throws LeaseLostException       when {@code write} is fenced and the lease no longer holds
     */
    Requested request(ApprovalId id, SessionId sessionId, String request, String key, Duration timeout,
            WriteContext write, Clock clock);

    /**
     * Applies {@link Approval#decide} to the approval as stored, with the state checked by the statement
     * that writes: of racing decisions exactly one is written.
     *
     * @throws ApprovalConflictException when it is decided otherwise, expired or cancelled
     * @throws ApprovalNotFoundException when there is no such approval
     */
    Decided decide(ApprovalId id, Approval.Decision decision, Actor actor, Optional<String> note, WriteContext write,
            Clock clock);

    Optional<Approval> find(ApprovalId id, Clock clock);

    /** The session's approval numbered {@code seq}, if it (and the session) still exist. */
    Optional<Approval> findBySeq(SessionId sessionId, long seq, Clock clock);

    /**
     * The pending approvals of one session (or, empty, of every session), oldest first.
     *
     * @throws SessionNotFoundException when a session is given and there is no such session
     */
    List<Approval> pending(Optional<SessionId> sessionId, Clock clock);

    /**
     * Every approval of the session, in request order.
     *
     * @throws SessionNotFoundException when there is no such session
     */
    List<Approval> all(SessionId sessionId, Clock clock);

    /** The newest {@code limit} approvals of every session, newest first. */
    List<Approval> recent(int limit, Clock clock);

    /** The ids that start with {@code prefix}, in id order, at most {@code limit}: one range scan of the key. */
    List<ApprovalId> findIdsByPrefix(IdPrefix prefix, int limit);

    /**
     * What a request stored: the approval, and whether it was written ({@code false} when its key was
     * found and the earlier approval is returned).
     */
    record Requested(Approval approval, boolean written) {
        public Requested {
            Objects.requireNonNull(approval, "approval");
        }
    }

    /** What a decision left: the approval, and whether this call decided it ({@code false}: the same decision was there). */
    record Decided(Approval approval, boolean written) {
        public Decided {
            Objects.requireNonNull(approval, "approval");
        }
    }

    /** The port of a store that keeps no approvals: every call is refused. */
    static ApprovalRepository unavailable() {
        return Unavailable.proxy(ApprovalRepository.class, "approvals");
    }
}
