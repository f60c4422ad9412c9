package io.claudesignal.sessions.domain;


/**
 * A session with this id exists already: for a generated id, a broken generator; for an id the caller
 * chose ({@code Sessions.create(id, project, thread)}), a session of another project or thread.
 */
public final class DuplicateSessionException extends ConflictException {

    public DuplicateSessionException(SessionId id) {
        super(id, "a session with id " + id + " exists already");
    }

    public DuplicateSessionException(SessionId id, String message) {
        super(id, message);
    }
}
