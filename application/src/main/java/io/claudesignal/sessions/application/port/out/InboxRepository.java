package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.InboxFullException;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.StorageException;
import java.util.List;
import java.util.Optional;

/**
 * Where each session's messages from the person wait for its daemon: one row per message beside the
 * session, numbered per session. Every method is one atomic step; every write takes the session's
 * lock first (as the transcript does) and checks the write's fence under it. A crash recovery puts the
 * taken messages of the sessions it pauses back to waiting in its own step
 * ({@link SessionRepository#recoverAbandoned}).
 */
public interface InboxRepository {

    /**
     * Stores a message with the next number, unless the session holds one with {@code key} already
     * (then that one is returned and nothing is written, also when two callers race).
     *
     * @param limit how many unhandled (waiting or taken) messages the session may hold
     * @throws InboxFullException       when it holds {@code limit} already
     * @throws SessionNotFoundException when there is no such session
     * @throws LeaseLostException       when {@code write} is fenced and the lease no longer holds
     */
    Received receive(SessionId id, String json, String key, int limit, WriteContext write);

    /**
     * The oldest waiting message, now marked taken; empty when none waits.
     *
     * @throws SessionNotFoundException when there is no such session
     * @throws LeaseLostException       when {@code write} is fenced and the lease no longer holds
     */
    Optional<InboxMessage> next(SessionId id, WriteContext write);

    /**
     * Marks message {@code seq} handled (again: no change) and returns it.
     *
     * @throws InvalidInputException    when the session has no message {@code seq}
     * @throws SessionNotFoundException when there is no such session
     * @throws LeaseLostException       when {@code write} is fenced and the lease no longer holds
     */
    InboxMessage done(SessionId id, long seq, WriteContext write);

    /** Message {@code seq} of the session, in whatever state. */
    Optional<InboxMessage> find(SessionId id, long seq);

    /**
     * The session's messages, oldest first, at most {@code limit}: the unhandled ones, or all with {@code withDone}.
     *
     * @throws SessionNotFoundException when there is no such session
     */
    List<InboxMessage> list(SessionId id, boolean withDone, int limit);

    /** How many messages wait (not yet taken) in every session's inbox together. */
    long waiting();

    /** What a receive stored: the message, and whether it wrote it ({@code false}: its key was known). */
    record Received(InboxMessage message, boolean written) {
    }

    /** The port of a store that keeps no inbox: every call is refused. */
    static InboxRepository unavailable() {
        return Unavailable.proxy(InboxRepository.class, "inbox");
    }
}
