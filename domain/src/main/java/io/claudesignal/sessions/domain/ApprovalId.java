package io.claudesignal.sessions.domain;

import java.util.Objects;
import java.util.UUID;

/** The identity of an approval: a UUID, written in its canonical lowercase form, like a session's. */
public record ApprovalId(UUID value) implements Comparable<ApprovalId> {

    public ApprovalId {
        Objects.requireNonNull(value, "value");
    }

    /** A new random (version 4) id. */
    public static ApprovalId random() {
        return new ApprovalId(UUID.randomUUID());
    }

    /**
     * Reads an id written as a canonical UUID (either case).
     *
     * @throws InvalidInputException for anything else, including null
     */
    public static ApprovalId parse(String text) {
        IdPrefix whole = IdPrefix.parse(text, "approval");
        if (!whole.isWholeId()) {
            throw new InvalidInputException("id", "not an approval id (expected a whole UUID): " + Texts.quote(text, 60));
        }
        return new ApprovalId(whole.lowest().value());
    }

    @Override
    public int compareTo(ApprovalId other) {
        // Text order, as the stores sort ids (UUID.compareTo compares signed longs).
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
