package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.SessionsException;

/**
 * An import met a line it cannot read (not JSON, not this format, a value out of range). The lines
 * before it were imported and stay; nothing of this line or after it was.
 */
public final class ImportLineException extends SessionsException {

    private final long line;
    private final long imported;

    public ImportLineException(long line, long imported, String reason, Throwable cause) {
        super("line " + line + ": " + reason, cause);
        this.line = line;
        this.imported = imported;
    }

    /** The number of the line refused, from 1. */
    public long line() {
        return line;
    }

    /** How many sessions of the lines before it were written. */
    public long imported() {
        return imported;
    }
}
