package io.claudesignal.sessions.domain;

/**
 * Root of every error this library raises on purpose. Callers can catch this one type, or one of its
 * few subclasses when they need to react differently (not found, invalid input, conflict, storage).
 * Each subclass carries the data a caller needs to act on it, not just a message.
 */
public abstract class SessionsException extends RuntimeException {

    protected SessionsException(String message) {
        super(message);
    }

    protected SessionsException(String message, Throwable cause) {
        super(message, cause);
    }
}
