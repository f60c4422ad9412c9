package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What operating a store needs of it beyond the sessions' own use: pinning, retention, moving whole
 * sessions in and out, sizes, backup. Every method is one atomic step unless it says otherwise.
 */
public interface StoreOperations {

    /**
     * Sets the session's pinned flag; its version and {@code updatedAt} do not change.
     *
     * @return the session as stored afterwards
     * @throws SessionNotFoundException when there is no such session
     */
    Session setPinned(SessionId id, boolean pinned);

    /**
     * The sessions a purge with this cut-off would delete now (TERMINATED, not pinned, last changed
     * before {@code cutoff}), oldest change first, after {@code after} (a summary of the previous page's
     * last), at most {@code limit}.
     */
    List<SessionSummary> purgeCandidates(Instant cutoff, Optional<SessionSummary> after, int limit);

    /**
     * Deletes at most {@code limit} sessions that are, at the moment of deleting, TERMINATED, not pinned
     * and last changed before {@code cutoff}, with everything they own, in one short transaction. The
     * condition is part of the deleting statement: a session resumed, pinned or touched meanwhile stays,
     * and of two purges racing for a session exactly one counts it.
     *
     * @return how many this step deleted; 0 when none is left
     */
    int purgeBatch(Instant cutoff, int limit);

    /** The session with everything it owns but its transcript items, read in one snapshot. */
    Optional<SessionArchive> archive(SessionId id);

    /**
     * Stores a whole session as archived, with its transcript {@code items}, in one transaction: all of
     * it or nothing.
     *
     * @throws DuplicateSessionException when a session with its id exists already (nothing is written)
     */
    void restore(SessionArchive archive, List<TranscriptItem> items);

    /** Sessions by status, transcript items, and the store's bytes on disk when it is a file. */
    Sizes sizes();

    /**
     * Writes a consistent copy of the store, taken while others write, to the new file {@code target}
     * (owner-only), checked before this returns.
     *
     * @throws InvalidInputException when {@code target} exists already or cannot be made
     * @throws StorageException      when the store cannot be copied this way (a database server: use its
     *                               own tools), or the copy failed its check (then no file is left)
     */
    void backup(Path target);

    /** What {@link #sizes()} counts; a status without sessions may be missing from the map. */
    record Sizes(Map<SessionStatus, Long> sessionsByStatus, long transcriptItems, OptionalLong fileBytes) {
        public Sizes {
            sessionsByStatus = Map.copyOf(sessionsByStatus);
        }
    }
}
