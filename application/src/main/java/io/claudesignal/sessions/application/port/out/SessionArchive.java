package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.Reply;
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
 * @param approvals          every approval of the session, by number, as stored (a PENDING one past its
 *                           deadline stays PENDING here: it reads as EXPIRED wherever it is restored)
 * @param inbox              every message of its inbox, by number, as stored
 * @param outbox             every reply of its outbox, in enqueue order; their ids are the source store's
 *                           (a restore numbers them anew in this order: the outbox is numbered store-wide)
 */
public record SessionArchive(Session session, List<Transition> history, long activityLastSeq, long acknowledgedSeq,
        List<Activity> activities, long transcriptLastSeq, List<Approval> approvals, List<InboxMessage> inbox,
        List<Reply> outbox) {

    /** A session with nothing in flight: no approvals, messages or replies (what export formats 1 and 2 carry). */
    public SessionArchive(Session session, List<Transition> history, long activityLastSeq, long acknowledgedSeq,
            List<Activity> activities, long transcriptLastSeq) {
        this(session, history, activityLastSeq, acknowledgedSeq, activities, transcriptLastSeq, List.of(), List.of(),
                List.of());
    }

    public SessionArchive {
        Objects.requireNonNull(session, "session");
        history = List.copyOf(history);
        activities = List.copyOf(activities);
        approvals = List.copyOf(approvals);
        inbox = List.copyOf(inbox);
        outbox = List.copyOf(outbox);
        if (acknowledgedSeq < 0 || acknowledgedSeq > activityLastSeq || transcriptLastSeq < 0) {
            throw new IllegalArgumentException("counters out of range: activity " + acknowledgedSeq + "/"
                    + activityLastSeq + ", transcript " + transcriptLastSeq);
        }
    }
}
