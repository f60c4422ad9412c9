package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.ConflictException;
import io.claudesignal.sessions.domain.IllegalTransitionException;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.StaleVersionException;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.util.Optional;

/**
 * The sessions of the daemon: what it (and the {@code sessions} CLI) asks of the store.
 *
 * <p>Every method is atomic, and safe to call from many threads and, with a shared database, from
 * many processes: each write checks the state it expects in the same step that writes, so two racing
 * writers never both win and no change is lost; the loser gets a {@link ConflictException}. Every
 * method may also throw {@link io.claudesignal.sessions.application.StorageException} when the store
 * itself fails; nothing was written then.
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
}
