package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link Transcripts#search} looks for: the items whose text holds every word of {@code text}
 * (case-insensitive, whole words; see docs/transcript.md), optionally only in one session, in sessions
 * of some statuses (any of them), or appended in a time window ({@code since} inclusive, {@code until}
 * exclusive); {@code limit} matches a page, continuing from {@code cursor}.
 *
 * <pre>{@code
 * TranscriptQuery query = TranscriptQuery.of("login bug").withStatus(ACTIVE, PAUSED).withLimit(20);
 * TranscriptMatches page = transcripts.search(query);
 * page.nextCursor().ifPresent(c -> transcripts.search(query.after(c)));
 * }</pre>
 */
public record TranscriptQuery(
        String text,
        Optional<SessionId> sessionId,
        Set<SessionStatus> statuses,
        Optional<Instant> since,
        Optional<Instant> until,
        int limit,
        Optional<String> cursor) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 1000;
    /** The longest text searched for, in characters. */
    public static final int MAX_TEXT = 1000;

    /**
     * @throws InvalidInputException when {@code text} is blank or longer than {@value #MAX_TEXT}
     *                               characters, {@code limit} is out of range, or {@code until} is not
     *                               after {@code since}
     */
    public TranscriptQuery {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(sessionId, "sessionId");
        statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(cursor, "cursor");
        if (text.isBlank()) {
            throw new InvalidInputException("text", "is blank: say what to search for");
        }
        if (text.length() > MAX_TEXT) {
            throw new InvalidInputException("text", "is longer than " + MAX_TEXT + " characters");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        if (since.isPresent() && until.isPresent() && !until.get().isAfter(since.get())) {
            throw new InvalidInputException("until", "must be after since (" + since.get() + "), was " + until.get());
        }
    }

    /** Every transcript, newest match first, {@value #DEFAULT_LIMIT} a page. */
    public static TranscriptQuery of(String text) {
        return new TranscriptQuery(text, Optional.empty(), Set.of(), Optional.empty(), Optional.empty(), DEFAULT_LIMIT,
                Optional.empty());
    }

    /** Only the transcript of {@code id}. */
    public TranscriptQuery inSession(SessionId id) {
        return new TranscriptQuery(text, Optional.of(id), statuses, since, until, limit, cursor);
    }

    public TranscriptQuery withStatus(SessionStatus first, SessionStatus... more) {
        return withStatuses(EnumSet.of(first, more));
    }

    /** Only in sessions of one of {@code wanted} (as they are when the search runs); empty for any. */
    public TranscriptQuery withStatuses(Collection<SessionStatus> wanted) {
        return new TranscriptQuery(text, sessionId, Set.copyOf(wanted), since, until, limit, cursor);
    }

    /** Only items appended at or after {@code from}. */
    public TranscriptQuery since(Instant from) {
        return new TranscriptQuery(text, sessionId, statuses, Optional.of(from), until, limit, cursor);
    }

    /** Only items appended before {@code before}. */
    public TranscriptQuery until(Instant before) {
        return new TranscriptQuery(text, sessionId, statuses, since, Optional.of(before), limit, cursor);
    }

    public TranscriptQuery withLimit(int pageSize) {
        return new TranscriptQuery(text, sessionId, statuses, since, until, pageSize, cursor);
    }

    /** The page that follows the one whose {@link TranscriptMatches#nextCursor()} was {@code nextCursor}. */
    public TranscriptQuery after(String nextCursor) {
        return new TranscriptQuery(text, sessionId, statuses, since, until, limit, Optional.of(nextCursor));
    }
}
