package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.SessionId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One item {@link Transcripts#search} found: where it is ({@code sessionId}, {@code seq}), when it was
 * appended, and a short extract of its text around the first match. Read the whole item with
 * {@link Transcripts#after}{@code (sessionId, seq - 1, 1)}.
 */
public record TranscriptMatch(SessionId sessionId, long seq, Instant at, Snippet snippet) {

    public TranscriptMatch {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(snippet, "snippet");
    }

    /**
     * A short, one-line extract of the item's text (its string values, in order, whitespace and control
     * characters shown as single spaces, at most about {@value #MAX_CHARS} characters; {@code …} where
     * it was cut), with the words that matched marked by {@code marks}: plain text and positions rather
     * than markup, so that a caller shows them as it likes (colours, HTML, brackets) without escaping.
     */
    public record Snippet(String text, List<Mark> marks) {

        /** About how long a snippet is, in characters. */
        public static final int MAX_CHARS = 160;

        public Snippet {
            Objects.requireNonNull(text, "text");
            marks = List.copyOf(marks);
            int end = 0;
            for (Mark mark : marks) {
                if (mark.start() < end || mark.end() > text.length()) {
                    throw new IllegalArgumentException("marks must be in order, apart, and inside the text");
                }
                end = mark.end();
            }
        }

        /** The text with each mark between {@code open} and {@code close}, e.g. {@code marked("[", "]")}. */
        public String marked(String open, String close) {
            StringBuilder out = new StringBuilder(text.length() + marks.size() * (open.length() + close.length()));
            int at = 0;
            for (Mark mark : marks) {
                out.append(text, at, mark.start()).append(open).append(text, mark.start(), mark.end()).append(close);
                at = mark.end();
            }
            return out.append(text, at, text.length()).toString();
        }

        @Override
        public String toString() {
            return marked("[", "]");
        }
    }

    /** A matched word in {@link Snippet#text()}: from {@code start} (inclusive) to {@code end}, Java {@code char} indices. */
    public record Mark(int start, int end) {
        public Mark {
            if (start < 0 || end <= start) {
                throw new IllegalArgumentException("a mark is a non-empty range, was " + start + ".." + end);
            }
        }
    }
}
