package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.ApprovalConflictException;
import io.claudesignal.sessions.domain.ApprovalId;
import io.claudesignal.sessions.domain.ApprovalNotFoundException;
import io.claudesignal.sessions.domain.IdPrefix;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What Claude asks permission for, durably: the daemon {@link #request}s an approval, a person
 * {@link #decide}s it (from Signal through the daemon, or from a terminal with {@code sessions approve}),
 * and the daemon hears the decision ({@link SessionEvent.ApprovalDecided}) from whichever process made
 * it. Approvals outlive restarts: a pending one is still pending after the daemon restarts, until it
 * is decided, its deadline passes (it then reads as {@link Approval.State#EXPIRED}) or its session
 * leaves ACTIVE (pause, terminate, crash recovery make it {@link Approval.State#CANCELLED} in the same
 * transaction). See docs/approvals.md.
 *
 * <p>Every method is atomic and safe from many threads and processes. Reads give each approval as it
 * reads now ({@link Approval#asOf}). Every method may throw
 * {@link io.claudesignal.sessions.domain.StorageException} when the store itself fails.
 */
public interface Approvals {

    /**
     * Records what Claude asks, PENDING for {@code timeout}; idempotent per session and {@code key}: when
     * the session holds an approval with that key, that one is returned as it is now (perhaps decided)
     * and nothing is written, also when two callers race with the same key. A request is a write of the
     * session, fenced by the daemon's lease like every other.
     *
     * @param request what is asked: one JSON object (the tool, its input...), stored exactly as given
     * @param key     the idempotency key, e.g. the tool call's id
     * @throws InvalidInputException    for a request that is not one JSON object or is over the transcript
     *                                  item limit, a bad key, a timeout not within 1 ms to 30 days
     * @throws StatusMismatchException  when the session is not ACTIVE (only a running session asks)
     * @throws SessionNotFoundException when there is no such session
     */
    Approval request(SessionId sessionId, String request, String key, Duration timeout);

    /** As {@link #request(SessionId, String, String, Duration)}, for the configured timeout (10 minutes by default). */
    Approval request(SessionId sessionId, String request, String key);

    /**
     * Records the one decision on a pending approval, atomically. The same decision again returns the
     * approval as recorded the first time, unchanged.
     *
     * @param note what the decider says (shown to Claude and in the CLI), at most 4,000 characters
     * @return the approval as decided
     * @throws ApprovalConflictException  when it was decided otherwise, expired or was cancelled: it names
     *                                    the recorded state, which stands
     * @throws ApprovalNotFoundException  when there is no such approval
     */
    Approval decide(ApprovalId approvalId, Approval.Decision decision, Actor actor, String note);

    /** As {@link #decide(ApprovalId, Approval.Decision, Actor, String)}, without a note. */
    Approval decide(ApprovalId approvalId, Approval.Decision decision, Actor actor);

    /**
     * The session's approvals that wait for a decision now, oldest first.
     *
     * @throws SessionNotFoundException when there is no such session
     */
    List<Approval> pending(SessionId sessionId);

    /** Every session's approvals that wait for a decision now, oldest first. */
    List<Approval> pending();

    /** The approval with this id, as it reads now. */
    Optional<Approval> find(ApprovalId approvalId);

    /**
     * Every approval of the session, whatever its state, in request order.
     *
     * @throws SessionNotFoundException when there is no such session
     */
    List<Approval> all(SessionId sessionId);

    /**
     * The newest {@code limit} approvals of every session, whatever their state, newest first.
     *
     * @throws InvalidInputException when {@code limit} is not positive
     */
    List<Approval> recent(int limit);

    /**
     * The approval id a person means: a whole id, or a prefix of at least {@value IdPrefix#MIN_LENGTH}
     * characters that exactly one approval's id starts with (as {@link Sessions#resolve} for sessions).
     *
     * @throws ApprovalNotFoundException when no approval's id starts with the prefix
     * @throws InvalidInputException     when it is too short, not the start of an id, or ambiguous
     */
    ApprovalId resolve(String idOrPrefix);
}
