package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.DuplicateSessionException;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.IdPrefix;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.StaleVersionException;
import io.claudesignal.sessions.domain.StatusMismatchException;
import io.claudesignal.sessions.domain.Transition;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where sessions are kept. Each method is one atomic step: it either happens whole or not at all, and
 * a check it makes (a status, a version) holds at the moment it writes, also against other processes
 * sharing the store. Stores return copies: nothing a caller holds changes under it.
 *
 * <p>The TCK ({@code SessionsTck} in the module {@code sessions-tck}) states these rules as tests; an
 * adapter is done when it passes unchanged.
 */
public interface SessionRepository {

    /**
     * Stores a new session, and records its creation by {@code write.actor()} in the change log.
     *
     * @throws io.claudesignal.sessions.domain.DuplicateSessionException when a session with its id exists already
     */
    void insert(Session session, WriteContext write);

    Optional<Session> findById(SessionId id);

    /**
     * The ids that start with {@code prefix}, in id order, at most {@code limit} of them: one range
     * scan of the primary key between {@link IdPrefix#lowest()} and {@link IdPrefix#highest()}, never a
     * scan of the table.
     */
    List<SessionId> findIdsByPrefix(IdPrefix prefix, int limit);

    /** Summaries (no context is read) of one page; see {@link PageRequest}. */
    List<SessionSummary> findPage(PageRequest request);

    /**
     * Sets the status to {@code target} if, at the moment of writing, it is {@code expected}; raises
     * the version by one and sets {@code updatedAt} to {@code write.at()} (never earlier than it was).
     * In the same step it records the {@link Transition} in the history and, when {@code target} is
     * not ACTIVE, drops the session's lease (nobody runs a session that is not ACTIVE).
     *
     * @return the session as stored after the change
     * @throws StatusMismatchException  when the stored status is not {@code expected}
     * @throws LeaseLostException       when the write is fenced and the lease no longer holds
     * @throws SessionNotFoundException when there is no such session
     */
    Session compareAndSetStatus(SessionId id, SessionStatus expected, SessionStatus target, WriteContext write);

    /**
     * Reads the session, applies {@code change} and writes its result, with no other write to that
     * session in between. {@code change} is a pure function; it may throw to refuse the change, in
     * which case nothing is written and the exception reaches the caller. When it returns its argument
     * unchanged, nothing is written.
     *
     * <p>When the status changes, the step also records the {@link Transition} and, when the new
     * status is not ACTIVE, drops the session's lease, as {@link #compareAndSetStatus} does.
     *
     * @return the session as read, and as stored afterwards
     * @throws SessionNotFoundException when there is no such session
     * @throws LeaseLostException       when the write is fenced and the lease no longer holds
     * @throws StaleVersionException    when the stored version moved between read and write (a store
     *                                  that locks the row for the whole step never raises it)
     */
    Updated update(SessionId id, UnaryOperator<Session> change, WriteContext write);

    /**
     * What an {@link #update} replaced and what it wrote: the caller learns both from the result, not
     * from values its {@code change} saw in passing.
     *
     * @param replaced the session as read in the step
     * @param written  the session as stored afterwards: {@code replaced} itself when nothing was written
     */
    record Updated(Session replaced, Session written) {
        public Updated {
            Objects.requireNonNull(replaced, "replaced");
            Objects.requireNonNull(written, "written");
        }

        /** Whether the step wrote: the change returned something other than its argument. */
        public boolean wrote() {
            return written != replaced;
        }
    }

    /**
     * A fork, in one atomic step (on this port, as it makes a session): stores {@code child} (a new
     * CREATED session whose {@code forkedFrom} names the parent and {@code throughSeq}) with the
     * parent's context as it is at that moment, copies the parent's transcript items numbered up to
     * {@code throughSeq} keeping their numbers and keys, starts the child's numbering after
     * {@code throughSeq}, and records a {@link Transition#FORK} entry (CREATED to CREATED) in the
     * child's history. The parent is not changed.
     *
     * @param child the new session as {@link Session#forkOf} makes it; its context is replaced by the
     *              parent's as read in the same step
     * @return the child as stored
     * @throws SessionNotFoundException  when there is no such parent
     * @throws InvalidInputException     when {@code throughSeq} is above the parent's newest item
     * @throws DuplicateSessionException when a session with the child's id exists already
     */
    Session fork(Session child, WriteContext write);

    /**
     * Deletes the session if it is in {@code required} status, erasing its context.
     *
     * @throws StatusMismatchException  when it is in another status
     * @throws SessionNotFoundException when there is no such session
     */
    void delete(SessionId id, SessionStatus required);

    /**
     * The session's status changes, oldest first.
     *
     * @throws SessionNotFoundException when there is no such session
     */
    List<Transition> history(SessionId id);

    /**
     * Crash recovery, in one atomic step: every ACTIVE session whose lease expired by now, or that has
     * no lease and was last changed at least {@code grace} ago, becomes PAUSED (its version raised,
     * {@code updatedAt} set), gets {@code "recovered_at"} (the ISO-8601 text of now) in its context,
     * loses its lease, and has the transition recorded with reason {@link Transition#CRASH_RECOVERY}.
     * A session two recoveries race for is recovered once. "Now" is read inside the step, from the
     * store's own clock where it has one that every client shares (see {@link LeaseRepository}),
     * else from {@code clock}.
     *
     * @return the transitions made, one per recovered session
     */
    List<Transition> recoverAbandoned(Clock clock, Duration grace, Actor actor);
}
