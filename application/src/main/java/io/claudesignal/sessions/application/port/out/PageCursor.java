package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Objects;

/**
 * A position in the newest-first order of sessions: the key of the last session of a page. The next
 * page holds the sessions strictly after it in {@code (createdAt DESC, id DESC)} order, which every
 * store can seek to through an index instead of counting rows.
 */
public record PageCursor(Instant createdAt, SessionId id) {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    public PageCursor {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(id, "id");
    }

    public static PageCursor after(SessionSummary last) {
        return new PageCursor(last.createdAt(), last.id());
    }

    /** True when {@code s} comes after this position, newest first. */
    public boolean precedes(SessionSummary s) {
        int byTime = s.createdAt().compareTo(createdAt);
        return byTime < 0 || (byTime == 0 && s.id().compareTo(id) < 0);
    }

    /** The opaque text handed to callers. */
    public String encode() {
        return ENCODER.encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @throws InvalidInputException for text that no {@link #encode()} produced
     */
    public static PageCursor decode(String text) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int bar = plain.indexOf('|');
            if (bar < 0) {
                throw new IllegalArgumentException("no separator");
            }
            return new PageCursor(Instant.parse(plain.substring(0, bar)), SessionId.parse(plain.substring(bar + 1)));
        } catch (IllegalArgumentException | DateTimeParseException | InvalidInputException | NullPointerException e) {
            throw new InvalidInputException("cursor", "not a cursor from a previous page");
        }
    }
}
