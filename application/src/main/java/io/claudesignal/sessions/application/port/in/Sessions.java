package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.CatchUp;
import io.claudesignal.sessions.domain.ConflictException;
import io.claudesignal.sessions.domain.IllegalTransitionException;
import io.claudesignal.sessions.domain.IdPrefix;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.StaleVersionException;
import io.claudesignal.sessions.domain.StatusMismatchException;
import io.claudesignal.sessions.domain.Transition;
import java.util.List;
import java.util.Optional;

/**
 * The sessions of the daemon: what it (and the {@code sessions} CLI) asks of the store.
 *
 * <p>Every method is atomic, and safe to call from many threads and, with a shared database, from
 * many processes: each write checks the state it expects in the same step that writes, so two racing
 * writers never both win and no change is lost; the loser gets a {@link ConflictException}. Every
 * method may also throw {@link io.claudesignal.sessions.domain.StorageException} when the store
 * itself fails; nothing was written then, unless its reason is
 * {@link io.claudesignal.sessions.domain.StorageException.Reason#COMMIT_UNKNOWN}: the change may
 * or may not have been written, so read it back before repeating it. A daemon's writes to a session it holds a lease on are
 * fenced by that lease (see {@link Leases}): a write whose lease was lost is refused with a
 * {@link io.claudesignal.sessions.domain.LeaseLostException}.
 */
public interface Sessions {

    /**
     * Creates a session, CREATED, with an empty context.
     *
     * @param projectPath the project directory, an absolute path
     * @param threadId    the Signal thread the session talks to
     * @throws InvalidInputException for a blank, relative or over-long path, or a blank or over-long thread id
     */
    Session create(String projectPath, String threadId);

    /**
     * Creates a session under an id the caller chose (an SDK's session id, a Signal conversation's
     * own id), idempotently: when a session with that id exists with the same project and thread, it
     * is returned as it is now and nothing is written, so a create retried after a timeout or a crash
     * makes one session, also when the two race. Otherwise as {@link #create(String, String)}. An id
     * whose session was deleted may be used again.
     *
     * @throws io.claudesignal.sessions.domain.DuplicateSessionException (a {@link ConflictException})
     *         when a session with that id exists with another project or thread; nothing is written
     * @throws InvalidInputException as {@link #create(String, String)}, and for the nil UUID, which
     *         {@link SessionEvent.Resync#EVERY_SESSION} stands for
     */
    Session create(SessionId id, String projectPath, String threadId);

    /** The session with this id, with its context, if there is one. */
    Optional<Session> find(SessionId id);

    /**
     * The session with this id.
     *
     * @throws SessionNotFoundException when there is none
     */
    default Session get(SessionId id) {
        return find(id).orElseThrow(() -> new SessionNotFoundException(id));
    }

    /**
     * The id a person means by {@code idOrPrefix}: a whole id (either case), or a prefix of one of at
     * least {@value IdPrefix#MIN_LENGTH} characters that exactly one session's id starts with (as git
     * and docker take short ids). A whole id is returned as it is, whether or not the session exists.
     *
     * @throws SessionNotFoundException when no session's id starts with the prefix
     * @throws InvalidInputException    when it is shorter than {@value IdPrefix#MIN_LENGTH} characters,
     *                                  not the start of an id, or ambiguous (the message lists the
     *                                  candidates)
     */
    SessionId resolve(String idOrPrefix);

    /** A page of sessions, newest first, without their contexts. */
    SessionPage list(SessionQuery query);

    /**
     * Moves a session from {@code expected} to {@code target}, if it is still in {@code expected}.
     *
     * @throws IllegalTransitionException when the lifecycle never allows {@code expected -> target}
     * @throws StatusMismatchException    when the session is not in {@code expected} (any more)
     * @throws SessionNotFoundException   when there is no such session
     */
    Session transition(SessionId id, SessionStatus expected, SessionStatus target);

    /**
     * Moves a session from whatever status it is in to {@code target}: the current status is read and
     * checked in the same atomic step that writes the new one.
     *
     * @throws IllegalTransitionException when the current status may not move to {@code target}
     * @throws SessionNotFoundException   when there is no such session
     */
    Session transition(SessionId id, SessionStatus target);

    /**
     * As {@link #transition(SessionId, SessionStatus, SessionStatus)}, recording {@code reason} (a
     * short word such as {@code "user"} or {@code "idle-timeout"}) in the history instead of
     * {@code "user"}.
     */
    Session transition(SessionId id, SessionStatus expected, SessionStatus target, String reason);

    /**
     * Applies a JSON merge patch (RFC 7396) to the session's context: keys set to {@code null} are
     * removed, objects are merged key by key, anything else replaces what was there. A patch that
     * changes nothing writes nothing and leaves the version as it was.
     *
     * @param mergePatch a JSON object, as text
     * @throws InvalidInputException    when the patch is not a JSON object, is too deep, or would make
     *                                  the context larger than the configured limit
     * @throws SessionNotFoundException when there is no such session
     */
    Session mergeContext(SessionId id, String mergePatch);

    /**
     * As {@link #mergeContext(SessionId, String)}, but only if the session is still at
     * {@code expectedVersion}: for callers that read, decide and then write.
     *
     * @throws StaleVersionException when the session has changed since that version
     */
    Session mergeContext(SessionId id, String mergePatch, long expectedVersion);

    /** Moves a session to ACTIVE from CREATED or PAUSED (or keeps it ACTIVE). */
    default Session activate(SessionId id) {
        return transition(id, SessionStatus.ACTIVE);
    }

    /** Moves an ACTIVE session to PAUSED (a PAUSED one stays so). */
    default Session pause(SessionId id) {
        return transition(id, SessionStatus.PAUSED);
    }

    /** Moves a PAUSED session back to ACTIVE; any other status is a {@link StatusMismatchException}. */
    default Session resume(SessionId id) {
        return transition(id, SessionStatus.PAUSED, SessionStatus.ACTIVE);
    }

    /** Ends a session, whatever its status; ending an ended session is harmless. */
    default Session terminate(SessionId id) {
        return transition(id, SessionStatus.TERMINATED);
    }

    /**
     * Removes a TERMINATED session and its context for good (the bytes are overwritten, not just
     * unlinked, where the store allows it).
     *
     * @throws StatusMismatchException  when the session is not TERMINATED: terminate it first
     * @throws SessionNotFoundException when there is no such session
     */
    void delete(SessionId id);

    /**
     * The session's status changes, oldest first, each with when, why and by whom. Every change is
     * recorded in the same atomic step that makes it.
     *
     * @throws SessionNotFoundException when there is no such session
     */
    List<Transition> history(SessionId id);

    /**
     * Crash recovery: every ACTIVE session whose owner is gone (its lease expired, or it never had an
     * owner and has not changed for a lease duration) becomes PAUSED, with {@code "recovered_at"} in
     * its context and a {@code "crash-recovery"} entry in its history, all in one transaction. ACTIVE
     * sessions under a live lease are untouched. Idempotent, and safe to run from several processes at
     * once: each session is recovered by exactly one of them. The daemon calls it at start.
     *
     * @return the ids recovered by this call
     */
    List<SessionId> recover();

    /**
     * Appends to the session's activity log: what Claude did, for the catch-up summary. It costs the
     * same whatever the size of the context or the log; the log keeps the newest entries only (see
     * {@link io.claudesignal.sessions.application.SessionsConfig#activityLimit()}).
     *
     * @param type    a short word such as {@code "edit"}, {@code "command"}, {@code "test"}
     * @param details a JSON object, as text ({@code "{}"} when there is nothing to add)
     * @throws InvalidInputException    for a blank or over-long type, or details that are not one
     *                                  valid JSON object within the size limit
     * @throws SessionNotFoundException when there is no such session
     */
    Activity appendActivity(SessionId id, String type, String details);

    /**
     * The activities the session's log holds, oldest first.
     *
     * @throws SessionNotFoundException when there is no such session
     */
    List<Activity> activities(SessionId id);

    /**
     * What happened since the person last acknowledged, with a ready-made sentence
     * ({@link CatchUp#summary()}).
     *
     * @throws SessionNotFoundException when there is no such session
     */
    CatchUp catchUp(SessionId id);

    /**
     * Marks the activities up to {@code throughSeq} (normally {@link CatchUp#throughSeq()} of the
     * catch-up the person saw) as seen. Nothing is deleted, and the marker never moves back.
     *
     * @return the catch-up that remains (empty unless activities came in meanwhile)
     * @throws SessionNotFoundException when there is no such session
     */
    CatchUp acknowledge(SessionId id, long throughSeq);

    /**
     * Starts a new session from this one: CREATED, with the same project and thread, a copy of the
     * context, and the transcript items numbered up to {@code throughSeq}, keeping their numbers (its
     * own items are numbered on from there). The parent is untouched. The new session's
     * {@link Session#forkedFrom()} names the parent and {@code throughSeq}, and its history starts with
     * a {@link Transition#FORK} entry. All in one atomic step.
     *
     * @param throughSeq 0 to copy the context only; at most the number of the parent's newest item
     * @throws InvalidInputException    when {@code throughSeq} is negative or above the newest item
     * @throws SessionNotFoundException when there is no such session
     */
    Session fork(SessionId id, long throughSeq);

    /** How many changes a listener may fall behind the store's change log before it gets a resync. */
    int DEFAULT_BACKLOG = 1_000;

    /**
     * Registers a listener for every later change to the store, made through this handle or by any
     * other handle or process on it (the CLI, another daemon); close to stop. Changes this handle makes
     * are told on the thread that made them, once committed; changes others make are told on this
     * handle's change-feed thread within a short delay (see {@code docs/events.md} for the bound and
     * the delivery guarantee). Each change is told once, in commit order per session, with its actor.
     * As {@link #subscribe(SessionListener, int)} with {@link #DEFAULT_BACKLOG}.
     */
    Subscription subscribe(SessionListener listener);

    /**
     * As {@link #subscribe(SessionListener)}; when this listener falls more than {@code backlog}
     * changes behind the store's change log (it is slow, or the handle could not read for a while), the
     * changes it missed are replaced by one {@link SessionEvent.Resync}, after which it is told the
     * changes that follow.
     *
     * @throws InvalidInputException when {@code backlog} is below 1
     */
    Subscription subscribe(SessionListener listener, int backlog);
}
