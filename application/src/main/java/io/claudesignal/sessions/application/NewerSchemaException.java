package io.claudesignal.sessions.application;

import java.nio.file.Path;

/** The database was written by a newer version of this library; it is left untouched. */
public final class NewerSchemaException extends StorageException {

    private final long foundVersion;
    private final long supportedVersion;

    public NewerSchemaException(Path file, long foundVersion, long supportedVersion) {
        super(Reason.NEWER_SCHEMA, file, file + ": schema version " + foundVersion
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
