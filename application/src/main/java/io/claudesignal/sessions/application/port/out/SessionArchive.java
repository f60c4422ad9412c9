package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.Transition;
import java.util.List;
import java.util.Objects;

/**
 * A session with everything it owns but its transcript items (which are paged: a transcript may be
 * long) and its lease (a lease belongs to a running daemon, not to the session's record): what an
 * export writes and an import restores.
 *
 * @param activityLastSeq    the activity log's last number handed out (0 when it never logged)
 * @param acknowledgedSeq    the marker up to which the person acknowledged
 * @param transcriptLastSeq  the transcript's last number handed out (0 when it has none); may be above
 *                           the newest item's after a pop
 */
public record SessionArchive(Session session, List<Transition> history, long activityLastSeq, long acknowledgedSeq,
        List<Activity> activities, long transcriptLastSeq) {

    public SessionArchive {
        Objects.requireNonNull(session, "session");
        history = List.copyOf(history);
        activities = List.copyOf(activities);
        if (acknowledgedSeq < 0 || acknowledgedSeq > activityLastSeq || transcriptLastSeq < 0) {
            throw new IllegalArgumentException("counters out of range: activity " + acknowledgedSeq + "/"
                    + activityLastSeq + ", transcript " + transcriptLastSeq);
        }
    }
}
