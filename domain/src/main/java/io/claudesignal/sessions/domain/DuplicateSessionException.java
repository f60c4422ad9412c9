package io.claudesignal.sessions.domain;


/** A session with this id exists already; ids are random, so this means a broken id generator. */
public final class DuplicateSessionException extends ConflictException {

    public DuplicateSessionException(SessionId id) {
        super(id, "a session with id " + id + " exists already");
    }
}
