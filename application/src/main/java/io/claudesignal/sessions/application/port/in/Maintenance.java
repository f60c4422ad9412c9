package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionSummary;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;

/** What the person who runs the daemon asks of the store itself, rather than of one session. */
public interface Maintenance {

    /** Checks the store (integrity, schema version, settings, file modes) and reports every finding. */
    HealthReport check();

    /** How big the store is: sessions by status, transcript items, bytes on disk. */
    StoreSizes sizes();

    /**
     * Pins the session: no purge removes it, whatever its age. Its version and {@code updatedAt} do not
     * change. Pinning a pinned session changes nothing.
     *
     * @return the session as stored
     * @throws SessionNotFoundException when there is no such session
     */
    Session pin(SessionId id);

    /**
     * Unpins the session: purges may remove it again once it is TERMINATED and old enough.
     *
     * @return the session as stored
     * @throws SessionNotFoundException when there is no such session
     */
    Session unpin(SessionId id);

    /**
     * What {@link #purge} with this request would delete now, oldest change first; changes nothing.
     */
    List<SessionSummary> previewPurge(PurgeRequest request);

    /**
     * Deletes every session that is TERMINATED, not pinned and last changed before the request's cut-off,
     * with everything it owns (history, activity log, lease, transcript), in short batches: others keep
     * writing meanwhile. Each batch checks the condition in the deleting statement itself, so a session
     * resumed or pinned meanwhile stays, and purges running at once (other processes, other daemons on
     * one server) neither wait for each other long nor count a session twice. The deleted bytes are
     * overwritten where the store allows it (SQLite's secure_delete).
     */
    PurgeReport purge(PurgeRequest request);

    /**
     * Writes the sessions the request selects to {@code out} in the export format
     * ({@code docs/export-format.md}), one session per line, newest first. Streaming: sessions and
     * their transcripts are read page by page, so memory does not grow with the store. Each session is
     * read on its own; the file is not one snapshot of the store (take a {@link #backup} for that).
     * {@code out} is flushed, not closed.
     */
    ExportReport exportTo(Writer out, ExportRequest request);

    /**
     * Reads export lines from {@code in} into this store, each session in one transaction (all of it or
     * nothing). A session already stored with the same content is left as it is (importing a file twice
     * changes nothing); one stored with other content is a conflict: reported, not overwritten, and the
     * import goes on.
     *
     * @throws ImportLineException at the first line it cannot read; the sessions of the lines before it
     *                             stay imported
     */
    ImportReport importFrom(Reader in, Progress progress);

    /**
     * Writes a consistent copy of the store, taken while others write, to the new owner-only file
     * {@code target}, and checks it ({@code PRAGMA integrity_check}) before returning.
     *
     * @throws InvalidInputException when {@code target} exists already or its directory does not
     * @throws StorageException      when the store is a database server ({@link StorageException.Reason#UNSUPPORTED}:
     *                               use the server's own tools, such as {@code pg_dump}), or the copy failed
     */
    void backup(Path target);
}
