package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.ReplyNotFoundException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where replies wait to be sent: one store-wide queue, numbered in enqueue order. Every method is one
 * atomic step. Time (when a reply is due, when a claim ends) is read inside the step, from the
 * database's clock where lease time comes from it, else from the {@code clock} given.
 */
public interface OutboxRepository {

    /**
     * Stores a reply, due now, unless the session holds one with {@code key} already (then that one is
     * returned and nothing is written, also when two callers race).
     *
     * @throws SessionNotFoundException when there is no such session
     * @throws LeaseLostException       when {@code write} is fenced and the lease no longer holds
     */
    Enqueued enqueue(SessionId id, String json, String key, WriteContext write);

    /**
     * Up to {@code limit} replies that are due (pending past their due time, or claimed by a sender whose
     * lease time ran out), oldest first, each the oldest unsent reply of its session, now claimed until
     * {@code leaseTime} from now. Two callers never get the same reply while its claim runs, and neither
     * waits for the other.
     */
    List<Reply> claim(int limit, Duration leaseTime, Clock clock);

    /**
     * Marks the reply sent (again: no change) and returns it.
     *
     * @throws ReplyNotFoundException when there is no such reply
     */
    Reply sent(long replyId, Clock clock);

    /**
     * Records a failed send of a claimed reply: due again after {@link Retries#after}, or DEAD when this
     * was attempt {@link Retries#maxAttempts}. A reply that is not claimed (already sent, dead, or pending again) is
     * returned unchanged: the report came too late.
     *
     * @throws ReplyNotFoundException when there is no such reply
     */
    Reply failed(long replyId, String error, Retries retries, Clock clock);

    /**
     * Makes a DEAD (or pending) reply due now, its attempts counted from 0 again; a claimed or sent
     * one is returned unchanged.
     *
     * @throws ReplyNotFoundException when there is no such reply
     */
    Reply retry(long replyId, Clock clock);

    Optional<Reply> find(long replyId);

    /**
     * The replies not yet sent (or only the DEAD ones), of one session or of all, oldest first, at most {@code limit}.
     *
     * @throws SessionNotFoundException when {@code session} names no session
     */
    List<Reply> list(Optional<SessionId> session, boolean deadOnly, int limit);

    /** How many replies are in each state, in every session together. */
    Depth depth();

    /** What an enqueue stored: the reply, and whether it wrote it ({@code false}: its key was known). */
    record Enqueued(Reply reply, boolean written) {
    }

    /**
     * How a failed reply is retried: after {@code backoff}, doubled with each further failure up to
     * {@code maxBackoff}; DEAD after {@code maxAttempts} failures.
     */
    record Retries(int maxAttempts, Duration backoff, Duration maxBackoff) {

        /** The wait after the {@code attempts}-th failure. */
        public Duration after(int attempts) {
            Duration wait = backoff;
            for (int i = 1; i < attempts && wait.compareTo(maxBackoff) < 0; i++) {
                wait = wait.multipliedBy(2);
            }
            return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
        }
    }

    /** Replies by state: waiting to be sent (pending or claimed), and dead. */
    record Depth(long unsent, long dead) {
    }

    /** The port of a store that keeps no outbox: every call is refused. */
    static OutboxRepository unavailable() {
        return Unavailable.proxy(OutboxRepository.class, "outbox");
    }
}
