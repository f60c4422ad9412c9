package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.ReplyNotFoundException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Replies to the person, kept until sent (docs/messages.md). A sender {@link #claim}s the replies due,
 * sends each, and reports {@link #sent} or {@link #failed}. Delivery is at least once: a sender that
 * dies holding a claim leaves its replies to be claimed again once the claim's lease time is over, so
 * one may be sent twice; its {@link Reply#key()} travels with it so the other side can drop the copy.
 * Per session in order: a session's reply is never claimed while an older one of it is unsent (a DEAD
 * one excepted, which would otherwise hold the session's replies back for good).
 */
public interface Outbox {

    /**
     * Stores a reply to send, idempotent per session and {@code key}; fenced like every write.
     *
     * @throws SessionNotFoundException for an unknown session
     * @throws InvalidInputException    when {@code json} is not one JSON object or too large, or the key is refused
     */
    Reply enqueue(SessionId id, String json, String key);

    /**
     * Up to {@code limit} replies due, oldest first, claimed for {@code leaseTime}: two senders never hold
     * one reply at once, and neither waits for the other.
     *
     * @throws InvalidInputException when {@code limit} is not positive or {@code leaseTime} not positive
     */
    List<Reply> claim(int limit, Duration leaseTime);

    /** Marks a reply sent; again is harmless. @throws ReplyNotFoundException for an unknown reply */
    Reply sent(long replyId);

    /**
     * Reports a failed send: the reply is due again after a backoff that doubles each time, and DEAD
     * after {@link io.claudesignal.sessions.application.MessagesConfig#replyAttempts()} failures.
     *
     * @throws ReplyNotFoundException for an unknown reply
     */
    Reply failed(long replyId, String error);

    /** Makes a DEAD reply due now, with its attempts counted afresh. @throws ReplyNotFoundException for an unknown reply */
    Reply retry(long replyId);

    Optional<Reply> find(long replyId);

    /**
     * The replies not yet sent (or only the DEAD ones), of one session or of all, oldest first.
     *
     * @throws SessionNotFoundException when {@code session} names no session
     */
    List<Reply> list(Optional<SessionId> session, boolean deadOnly, int limit);
}
