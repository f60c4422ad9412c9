package io.claudesignal.sessions.application;

import io.claudesignal.sessions.application.port.out.OutboxRepository;
import io.claudesignal.sessions.domain.InvalidInputException;
import java.time.Duration;
import java.util.Objects;

/**
 * The inbox's bound and the outbox's retries (docs/messages.md).
 *
 * @param inboxLimit     how many unhandled messages (waiting or taken) a session's inbox holds; one more
 *                       is refused with an {@link io.claudesignal.sessions.domain.InboxFullException}
 * @param replyAttempts  how many failed sends a reply gets before it is marked DEAD
 * @param retryBackoff   the wait after a reply's first failure; it doubles with each further failure
 * @param maxBackoff     the longest wait between two attempts
 */
public record MessagesConfig(int inboxLimit, int replyAttempts, Duration retryBackoff, Duration maxBackoff) {

    /** 1,000 messages: what the first daemon kept in memory, now kept on disk and refused beyond. */
    public static final int DEFAULT_INBOX_LIMIT = 1000;
    public static final int DEFAULT_REPLY_ATTEMPTS = 8;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);
    public static final int MAX_INBOX_LIMIT = 1_000_000;

    public static final MessagesConfig DEFAULTS = new MessagesConfig(DEFAULT_INBOX_LIMIT, DEFAULT_REPLY_ATTEMPTS,
            DEFAULT_RETRY_BACKOFF, DEFAULT_MAX_BACKOFF);

    public MessagesConfig {
        if (inboxLimit < 1 || inboxLimit > MAX_INBOX_LIMIT) {
            throw new InvalidInputException("inboxLimit", "must be 1 to " + MAX_INBOX_LIMIT + ", was " + inboxLimit);
        }
        if (replyAttempts < 1 || replyAttempts > 1000) {
            throw new InvalidInputException("replyAttempts", "must be 1 to 1000, was " + replyAttempts);
        }
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (retryBackoff.isNegative() || maxBackoff.compareTo(retryBackoff) < 0) {
            throw new InvalidInputException("retryBackoff", "must be at least 0 and at most maxBackoff ("
                    + maxBackoff + "), was " + retryBackoff);
        }
    }

    public MessagesConfig withInboxLimit(int limit) {
        return new MessagesConfig(limit, replyAttempts, retryBackoff, maxBackoff);
    }

    public MessagesConfig withRetries(int attempts, Duration backoff, Duration max) {
        return new MessagesConfig(inboxLimit, attempts, backoff, max);
    }

    /** The outbox's retry rule as the store applies it. */
    public OutboxRepository.Retries retries() {
        return new OutboxRepository.Retries(replyAttempts, retryBackoff, maxBackoff);
    }
}
