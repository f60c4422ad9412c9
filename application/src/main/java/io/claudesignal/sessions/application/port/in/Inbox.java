package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.InboxFullException;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import java.util.List;
import java.util.Optional;

/**
 * Each session's messages from the person, kept until the daemon has handled them (docs/messages.md).
 * Per session first in, first out: {@link #next} hands out the oldest waiting message and marks it
 * taken; {@link #done} marks it handled. A taken message whose daemon died goes back to waiting when
 * the session is recovered, in the recovery's own step, so it is handed out again (take it with the
 * same key into the transcript, and the second handling appends nothing).
 *
 * <p>Every write is atomic and fenced by the daemon's lease on the session like every other write (a
 * {@link io.claudesignal.sessions.domain.LeaseLostException} when it was lost). Every method throws
 * {@link SessionNotFoundException} for an unknown session.
 */
public interface Inbox {

    /**
     * Stores a message from the person, idempotent per session and {@code key}: a message with a key
     * the session holds already is not stored again; the stored one is returned.
     *
     * @param json one JSON object, stored as given
     * @param key  the message's id where it came from (e.g. Signal's timestamp and sender)
     * @throws InboxFullException    when the session holds its limit of unhandled messages
     *                               ({@link io.claudesignal.sessions.application.MessagesConfig#inboxLimit()})
     * @throws InvalidInputException when {@code json} is not one JSON object or too large, or the key is blank or too long
     */
    InboxMessage receive(SessionId id, String json, String key);

    /** The oldest waiting message, now taken by this handle; empty when none waits. */
    Optional<InboxMessage> next(SessionId id);

    /**
     * Marks message {@code seq} handled; again is harmless.
     *
     * @throws InvalidInputException when the session has no message {@code seq}
     */
    InboxMessage done(SessionId id, long seq);

    /** Message {@code seq} of the session, in whatever state; empty when there is none (or no such session). */
    Optional<InboxMessage> find(SessionId id, long seq);

    /** The unhandled messages (or all, {@code withDone}), oldest first, at most {@code limit}. */
    List<InboxMessage> list(SessionId id, boolean withDone, int limit);
}
