package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a store must find for one page of a search: the items holding every one of {@code words}
 * (distinct, lower case, as {@link SearchText#words} makes them), in sessions matching the filters
 * ({@code statuses}: any of them when not empty; {@code since} inclusive, {@code until} exclusive on
 * the item's append time), at positions below {@code before}, highest position first, at most
 * {@code limit}. A position is the store's own number for an item, given when the item is stored (by
 * an append, a fork's copy, any insert) and rising in that order; it is never handed out twice to
 * items that exist at once.
 */
public record SearchRequest(
        List<String> words,
        Optional<SessionId> sessionId,
        Set<SessionStatus> statuses,
        Optional<Instant> since,
        Optional<Instant> until,
        Optional<Long> before,
        int limit) {

    public SearchRequest {
        words = List.copyOf(words);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("a search needs a word");
        }
        Objects.requireNonNull(sessionId, "sessionId");
        statuses = Set.copyOf(statuses);
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(before, "before");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    /** An item found, with its position (what the next page's {@code before} is made of). */
    public record Hit(TranscriptItem item, long position) {
        public Hit {
            Objects.requireNonNull(item, "item");
        }
    }

    /** The opaque text of a search cursor: the position of the last match of a page. */
    public static String cursor(long position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("t1:" + position).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws InvalidInputException for text that {@link #cursor(long)} did not make */
    public static long position(String cursor) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!plain.startsWith("t1:")) {
                throw new IllegalArgumentException("not ours");
            }
            long position = Long.parseLong(plain.substring(3));
            if (position < 1) {
                throw new IllegalArgumentException("out of range");
            }
            return position;
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new InvalidInputException("cursor", "not a cursor from a previous page of this search");
        }
    }
}
