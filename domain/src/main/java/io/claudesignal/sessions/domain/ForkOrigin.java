package io.claudesignal.sessions.domain;

import java.util.Objects;

/**
 * Where a forked session came from: its parent, and the number of the parent's last transcript item
 * it was given (0 when it was forked with the context only).
 */
public record ForkOrigin(SessionId parentId, long seq) {

    public ForkOrigin {
        Objects.requireNonNull(parentId, "parentId");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative, was " + seq);
        }
    }
}
