package io.claudesignal.sessions.domain;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The store could not do what was asked: its file is damaged or not ours, it is busy past the
 * timeout, the disk is full or failing, or access is denied. Nothing was acknowledged: a write that
 * raised this was not made, except with {@link Reason#COMMIT_UNKNOWN}, where it may have been.
 */
public class StorageException extends SessionsException {

    /** What went wrong, coarse enough to act on (tell the user to restore a backup, retry, free space). */
    public enum Reason {
        /** The file is damaged, or is not a database at all. */
        CORRUPT,
        /** The file is a database, but not a sessions database. */
        FOREIGN,
        /** The file was written by a newer version of this library. */
        NEWER_SCHEMA,
        /** Another process held the database locked for longer than the busy timeout. */
        BUSY,
        /** The disk or the file-size limit is full. */
        FULL,
        /** The file or its directory cannot be read or written by this user, or is read-only. */
        PERMISSION,
        /** The operating system reported an I/O error; the store refuses writes until reopened. */
        IO,
        /** An older database could not be upgraded; the original file is unchanged. */
        UPGRADE_FAILED,
        /** The database server could not be reached, refused the connection, or dropped it. */
        UNAVAILABLE,
        /**
         * The store failed while committing a write and could not find out whether the commit took
         * effect (the connection died during COMMIT and the server could not be asked afterwards): the
         * change may or may not have been written. Read the session again before repeating it.
         */
        COMMIT_UNKNOWN,
        /** The store was closed. */
        CLOSED,
        /** Anything else the storage engine reported. */
        OTHER
    }

    private final Reason reason;
    private final Path file;

    public StorageException(Reason reason, Path file, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.file = file;
    }

    public StorageException(Reason reason, Path file, String message) {
        this(reason, file, message, null);
    }

    public Reason reason() {
        return reason;
    }

    /** The database file concerned, when the store has one. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }
}
