package io.claudesignal.sessions.domain;

/**
 * A lease was asked for through a handle that is not a daemon's (the CLI's configuration, or any
 * actor that is not {@code daemon:<name>}): nobody would renew it, so it would silently expire one
 * lease duration later. Nothing was written. Open the store with {@code SessionsConfig.daemon(name)}.
 */
public final class DaemonRequiredException extends ConflictException {

    private final Actor actor;

    public DaemonRequiredException(SessionId id, Actor actor) {
        super(id, "session " + id + ": only a daemon claims leases, and this handle writes as " + actor
                + " (open the store with SessionsConfig.daemon(name)); nothing was written");
        this.actor = actor;
    }

    /** The actor of the handle that asked. */
    public Actor actor() {
        return actor;
    }
}
