package io.claudesignal.sessions.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * An item to append to a transcript, not yet numbered: its JSON and, if it has one, its idempotency
 * key (an item whose key the session already holds is skipped, not appended twice).
 */
public record NewTranscriptItem(String json, Optional<String> key) {

    public NewTranscriptItem {
        Objects.requireNonNull(key, "key");
    }

    /** An item without a key. */
    public static NewTranscriptItem of(String json) {
        return new NewTranscriptItem(json, Optional.empty());
    }

    /** An item with the idempotency key {@code key}. */
    public static NewTranscriptItem keyed(String json, String key) {
        return new NewTranscriptItem(json, Optional.of(key));
    }
}
