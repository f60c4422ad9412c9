package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.port.in.ImportLineException;
import io.claudesignal.sessions.domain.ApprovalNotFoundException;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.ConflictException;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.ReplyNotFoundException;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionsException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The exit codes of the {@code sessions} command: the one place that maps an outcome to a number, so
 * scripts can tell "no such session" from "someone changed it first" from "the database is broken".
 */
public enum ExitCode {
    OK(0, "success"),
    UNEXPECTED(1, "unexpected error (a bug: run again with --debug and report it)"),
    USAGE(2, "usage error: unknown command or option, missing or malformed argument"),
    NOT_FOUND(3, "not found: no session, approval or reply with that id"),
    CONFLICT(4, "conflict: illegal transition, status mismatch or stale version, an approval decided already, "
            + "a full inbox; re-read and decide again"),
    INVALID_INPUT(5, "invalid input: malformed id or status, bad JSON, value too large, bad or unreadable path"),
    STORAGE(6, "storage problem: corrupt or foreign file, newer schema, locked past the timeout, disk full, "
            + "permission denied; or check found a problem");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    /** The name scripts see in a JSON error: {@code not_found}, {@code conflict}, ... */
    public String type() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The code for a failure: the first typed error of this library in its cause chain decides. */
    public static ExitCode of(Throwable failure) {
        Throwable decisive = decisive(failure);
        if (decisive instanceof SessionNotFoundException || decisive instanceof ApprovalNotFoundException
                || decisive instanceof ReplyNotFoundException) {
            return NOT_FOUND;
        }
        if (decisive instanceof ConflictException) {
            return CONFLICT;
        }
        if (decisive instanceof InvalidInputException || decisive instanceof ImportLineException) {
            return INVALID_INPUT;
        }
        if (decisive instanceof StorageException) {
            return STORAGE;
        }
        return UNEXPECTED;
    }

    /**
     * The error that explains a failure: the first of this library's typed errors in its cause chain
     * (wrappers such as Guice's are looked through), else the failure itself.
     */
    static Throwable decisive(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SessionsException) {
                return t;
            }
        }
        return failure;
    }

    /** The causes of failure this code stands for, for the exit code list of {@code --help}. */
    static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        for (ExitCode exit : values()) {
            list.put(String.valueOf(exit.code), exit.meaning);
        }
        return list;
    }
}
