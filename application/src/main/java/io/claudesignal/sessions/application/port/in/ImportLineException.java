package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.SessionsException;
import java.util.Optional;

/**
 * An import met a line it cannot read (not JSON, not this format, a value out of range). The lines
 * before it were imported and stay; nothing of this line or after it was.
 */
public final class ImportLineException extends SessionsException {

    private final long line;
    private final long imported;
    private final String field;

    public ImportLineException(long line, long imported, String reason, Throwable cause) {
        this(line, imported, null, reason, cause);
    }

    /** @param field the line's field refused ({@code "version"}, {@code "history"}, ...), or null when not one field */
    public ImportLineException(long line, long imported, String field, String reason, Throwable cause) {
        super("line " + line + ": " + reason, cause);
        this.line = line;
        this.imported = imported;
        this.field = field;
    }

    /** The line's field refused, as the export format names it, when the refusal is about one field. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
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
