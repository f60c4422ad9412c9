package io.claudesignal.sessions.domain;

import java.util.Optional;

/** No session with this id exists (it never did, or it was deleted), or none starts with a prefix. */
public final class SessionNotFoundException extends SessionsException {

    private final SessionId id;
    private final IdPrefix prefix;

    public SessionNotFoundException(SessionId id) {
        super("no session " + id);
        this.id = id;
        this.prefix = null;
    }

    private SessionNotFoundException(IdPrefix prefix) {
        super("no session with an id starting " + prefix.text());
        this.id = null;
        this.prefix = prefix;
    }

    /** No session's id starts with {@code prefix}. */
    public static SessionNotFoundException forPrefix(IdPrefix prefix) {
        return new SessionNotFoundException(prefix);
    }

    /** The id looked for; null when a prefix was looked for (see {@link #prefix()}). */
    public SessionId id() {
        return id;
    }

    /** The prefix no id starts with, when it was a prefix that was looked for. */
    public Optional<IdPrefix> prefix() {
        return Optional.ofNullable(prefix);
    }
}
