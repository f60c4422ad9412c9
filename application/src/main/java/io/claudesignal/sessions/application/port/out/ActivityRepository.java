package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.CatchUp;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import java.util.List;

/**
 * Where each session's activity log is kept: append-only entries beside the session, never inside
 * its context, so that appending costs the same whatever the size of the context or the log.
 */
public interface ActivityRepository {

    /**
     * Appends an entry with the next sequence number and drops the entries older than the newest
     * {@code keep}, in one atomic step.
     *
     * @param details a JSON object as text, already validated
     * @throws SessionNotFoundException when there is no such session
     * @throws LeaseLostException       when {@code write} is fenced and the lease no longer holds
     */
    Activity append(SessionId id, String type, String details, WriteContext write, int keep);

    /**
     * The entries the log holds, oldest first.
     *
     * @throws SessionNotFoundException when there is no such session
     */
    List<Activity> list(SessionId id);

    /**
     * The entries after the acknowledged marker, with the marker and the newest sequence number, read
     * in one snapshot.
     *
     * @throws SessionNotFoundException when there is no such session
     */
    CatchUp catchUp(SessionId id);

    /**
     * Advances the marker to {@code throughSeq} (never back, never past the newest entry); no entry
     * is deleted.
     *
     * @return the marker afterwards
     * @throws SessionNotFoundException when there is no such session
     */
    long acknowledge(SessionId id, long throughSeq);
}
