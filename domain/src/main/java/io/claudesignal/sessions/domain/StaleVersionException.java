package io.claudesignal.sessions.domain;

/** The caller wrote against a version of the session that is no longer the stored one. */
public final class StaleVersionException extends ConflictException {

    private final long expectedVersion;
    private final long actualVersion;

    public StaleVersionException(SessionId id, long expectedVersion, long actualVersion) {
        super(id, "session " + id + " is at version " + actualVersion + ", not " + expectedVersion);
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    public long expectedVersion() {
        return expectedVersion;
    }

    public long actualVersion() {
        return actualVersion;
    }
}
