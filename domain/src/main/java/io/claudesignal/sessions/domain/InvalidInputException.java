package io.claudesignal.sessions.domain;

/**
 * A value given by the caller was refused before anything was written: a malformed id, a relative
 * project path, JSON that is not an object, a value over its size limit.
 */
public final class InvalidInputException extends SessionsException {

    private final String field;

    public InvalidInputException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
    }

    /** The name of the refused input, as the API or CLI calls it ({@code "id"}, {@code "projectPath"}, ...). */
    public String field() {
        return field;
    }
}
