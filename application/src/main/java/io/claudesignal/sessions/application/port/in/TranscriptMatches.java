package io.claudesignal.sessions.application.port.in;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a {@link Transcripts#search}, newest match first. {@link #nextCursor()} is present when
 * more matches may follow; pass it to {@link TranscriptQuery#after(String)}. A cursor is a position,
 * not a snapshot: items appended after the first page are not on later pages (they are newer than
 * it), items removed meanwhile are not either, and no match is on two pages.
 */
public record TranscriptMatches(List<TranscriptMatch> matches, Optional<String> nextCursor) {

    public TranscriptMatches {
        matches = List.copyOf(matches);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }
}
