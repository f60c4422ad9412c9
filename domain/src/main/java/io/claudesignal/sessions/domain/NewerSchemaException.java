package io.claudesignal.sessions.domain;

import java.nio.file.Path;

/** The database was written by a newer version of this library; it is left untouched. */
public final class NewerSchemaException extends StorageException {

    private final long foundVersion;
    private final long supportedVersion;

    public NewerSchemaException(Path file, long foundVersion, long supportedVersion) {
        this(file, String.valueOf(file), foundVersion, supportedVersion);
    }

    /** For a store that is not a file (a database server): {@code store} names it, without secrets. */
    public NewerSchemaException(String store, long foundVersion, long supportedVersion) {
        this(null, store, foundVersion, supportedVersion);
    }

    private NewerSchemaException(Path file, String store, long foundVersion, long supportedVersion) {
        super(Reason.NEWER_SCHEMA, file, store + ": schema version " + foundVersion
                + " is newer than this program supports (" + supportedVersion + "); upgrade claude-signal sessions");
        this.foundVersion = foundVersion;
        this.supportedVersion = supportedVersion;
    }

    public long foundVersion() {
        return foundVersion;
    }

    public long supportedVersion() {
        return supportedVersion;
    }
}
