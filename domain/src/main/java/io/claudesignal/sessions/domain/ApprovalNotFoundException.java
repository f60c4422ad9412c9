package io.claudesignal.sessions.domain;

import java.util.Optional;

/** No approval with this id exists (it never did, or its session was deleted), or none starts with a prefix. */
public final class ApprovalNotFoundException extends SessionsException {

    private final ApprovalId id;
    private final IdPrefix prefix;

    public ApprovalNotFoundException(ApprovalId id) {
        super("no approval " + id);
        this.id = id;
        this.prefix = null;
    }

    private ApprovalNotFoundException(IdPrefix prefix) {
        super("no approval with an id starting " + prefix.text());
        this.id = null;
        this.prefix = prefix;
    }

    public static ApprovalNotFoundException forPrefix(IdPrefix prefix) {
        return new ApprovalNotFoundException(prefix);
    }

    /** The id looked for; null when a prefix was looked for. */
    public ApprovalId id() {
        return id;
    }

    public Optional<IdPrefix> prefix() {
        return Optional.ofNullable(prefix);
    }
}
