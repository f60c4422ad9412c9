package io.claudesignal.sessions.domain;

/**
 * A daemon was opened under a name that another live process already runs under on the same
 * database. Two live processes with one name would fence each other's leases at every start, so the
 * second is refused; it may open once the first is gone (closed, or its process dead: the operating
 * system or the database server then drops the first one's hold on the name). Nothing was written.
 */
public final class DaemonRunningException extends ConflictException {

    private final Actor daemon;

    public DaemonRunningException(Actor daemon, String how) {
        super(null, daemon + " is already running on this database (" + how
                + "); stop it first, or give this daemon another name with SessionsConfig.daemon(name)");
        this.daemon = daemon;
    }

    public Actor daemon() {
        return daemon;
    }
}
