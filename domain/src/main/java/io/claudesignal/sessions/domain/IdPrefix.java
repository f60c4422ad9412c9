package io.claudesignal.sessions.domain;

import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * The first characters of a session id, as people type them (git and docker style): at least
 * {@value #MIN_LENGTH} of the canonical lowercase text, hyphens where the id has them.
 *
 * <p>Every id with this prefix lies between {@link #lowest()} and {@link #highest()} (both inclusive),
 * in the text order of ids and in the byte order of UUIDs alike, so a store finds them with one range
 * scan of its primary key.
 */
public record IdPrefix(String text) {

    /** Fewer characters would make collisions in a store of some thousand sessions likely. */
    public static final int MIN_LENGTH = 6;

    /** The length of an id written out, for which a prefix is the id itself. */
    public static final int ID_LENGTH = 36;

    public IdPrefix {
        Objects.requireNonNull(text, "text");
        if (!isWellFormed(text)) {
            throw new IllegalArgumentException("not a lowercase id prefix: " + text);
        }
    }

    /**
     * Reads what a person typed: a prefix of an id (either case) of at least {@value #MIN_LENGTH}
     * characters, or a whole id.
     *
     * @throws InvalidInputException when it is shorter, or no id starts with it
     */
    public static IdPrefix parse(String typed) {
        return parse(typed, "session");
    }

    /**
     * As {@link #parse(String)}, for the id of a {@code noun} ({@code "approval"}): the same rules, and
     * error messages that name what was looked for.
     */
    public static IdPrefix parse(String typed, String noun) {
        if (typed == null || typed.isEmpty()) {
            throw new InvalidInputException("id", "must not be empty");
        }
        String lower = typed.toLowerCase(Locale.ROOT);
        if (!isWellFormed(lower)) {
            throw new InvalidInputException("id", "not " + article(noun) + " id or the start of one (expected a UUID such as "
                    + "123e4567-e89b-42d3-a456-426614174000, or at least its first " + MIN_LENGTH + " characters): "
                    + Texts.quote(typed, 60));
        }
        if (lower.length() < MIN_LENGTH) {
            throw new InvalidInputException("id", "not " + article(noun) + " id: an id prefix needs at least " + MIN_LENGTH + " characters: "
                    + Texts.quote(typed, 60));
        }
        return new IdPrefix(lower);
    }

    private static String article(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    /** Whether this is a whole id rather than a part of one. */
    public boolean isWholeId() {
        return text.length() == ID_LENGTH;
    }

    /** The smallest id with this prefix: the rest filled with zeros. */
    public SessionId lowest() {
        return fill("00000000-0000-0000-0000-000000000000");
    }

    /** The largest id with this prefix: the rest filled with {@code f}. */
    public SessionId highest() {
        return fill("ffffffff-ffff-ffff-ffff-ffffffffffff");
    }

    public boolean matches(SessionId id) {
        return id.toString().startsWith(text);
    }

    private SessionId fill(String template) {
        return new SessionId(UUID.fromString(text + template.substring(text.length())));
    }

    /** Hex digits where an id has them, hyphens at positions 8, 13, 18 and 23, at most 36 characters. */
    private static boolean isWellFormed(String text) {
        if (text.length() > ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean hyphen = i == 8 || i == 13 || i == 18 || i == 23;
            if (hyphen ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
