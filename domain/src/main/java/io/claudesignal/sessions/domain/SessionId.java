package io.claudesignal.sessions.domain;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/** The identity of a session: a UUID, written in its canonical lowercase form. */
public record SessionId(UUID value) implements Comparable<SessionId> {

    // UUID.fromString accepts "1-2-3-4-5" and other short forms; an id must be exactly one spelling.
    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public SessionId {
        Objects.requireNonNull(value, "value");
    }

    /** A new random (version 4) id. */
    public static SessionId random() {
        return new SessionId(UUID.randomUUID());
    }

    /**
     * Reads an id written as a canonical UUID ({@code 8-4-4-4-12} hex digits, either case).
     *
     * @throws InvalidInputException for anything else, including null
     */
    public static SessionId parse(String text) {
        if (text == null || text.length() != 36 || !CANONICAL.matcher(text).matches()) {
            throw new InvalidInputException("id", "not a session id (expected a UUID such as "
                    + "123e4567-e89b-42d3-a456-426614174000): " + Texts.quote(text, 60));
        }
        return new SessionId(UUID.fromString(text));
    }

    @Override
    public int compareTo(SessionId other) {
        // UUID.compareTo compares signed longs, which disagrees with the text order the stores sort by.
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
