package io.claudesignal.sessions.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * One item of a session's conversation transcript: a turn, a tool call, a tool result... any JSON
 * object, kept as its own row beside the session so that appending costs the same at any length.
 *
 * @param seq  its number in the session's transcript, from 1 in append order; never reused, so a
 *             reader paging forward never misses an item (a pop or a clear leaves the number spent)
 * @param json the item, a JSON object, exactly the text that was appended
 * @param key  the idempotency key it was appended with, if any: unique within the session
 * @param at   when it was appended
 */
public record TranscriptItem(SessionId sessionId, long seq, String json, Optional<String> key, Instant at) {

    /** Longest idempotency key accepted, in chars: a message id or a hash, not a payload. */
    public static final int MAX_KEY_LENGTH = 256;

    public TranscriptItem {
        Objects.requireNonNull(sessionId, "sessionId");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be at least 1, was " + seq);
        }
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(key, "key");
        at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Refuses a key that is blank, over {@link #MAX_KEY_LENGTH} chars, or holds control characters
     * or a lone surrogate: keys are compared as text by every store, and shown by the CLI.
     */
    public static void validateKey(String key) {
        if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH
                || Texts.hasControlCharacter(key) || !Texts.isWellFormed(key)) {
            throw new InvalidInputException("key", "must be 1 to " + MAX_KEY_LENGTH
                    + " printable characters: " + Texts.quote(key, 60));
        }
    }
}
