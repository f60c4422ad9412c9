package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.out.ActivityRepository;
import io.claudesignal.sessions.application.port.out.ApprovalRepository;
import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.InboxRepository;
import io.claudesignal.sessions.application.port.out.OutboxRepository;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.SessionRepository;
import io.claudesignal.sessions.application.port.out.TranscriptRepository;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.Transition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The events of a change another handle or process made, built from its change-log row and what the
 * store holds now. A session deleted since has no events left to tell (its change rows stay, its
 * state is gone); see docs/events.md.
 */
final class ForeignEvents implements Function<Change, List<SessionEvent>> {

    private final SessionRepository sessions;
    private final ActivityRepository activities;
    private final TranscriptRepository transcripts;
    private final ApprovalRepository approvals;
    private final Clock clock;
    private final Function<SessionId, Optional<Lease>> runEnded;
    private final InboxRepository inbox;
    private final OutboxRepository outbox;

    /**
     * @param runEnded told when another actor moved a session out of ACTIVE (the store dropped any
     *                 lease on it in that step); returns the lease this handle held and now forgot
     */
    ForeignEvents(Persistence persistence, Clock clock, Function<SessionId, Optional<Lease>> runEnded) {
        this.sessions = persistence.sessions();
        this.activities = persistence.activities();
        this.transcripts = persistence.transcripts();
        this.approvals = persistence.approvals();
        this.clock = clock;
        this.runEnded = runEnded;
        this.inbox = persistence.inbox();
        this.outbox = persistence.outbox();
    }

    @Override
    public List<SessionEvent> apply(Change c) {
        SessionId id = c.sessionId();
        try {
            return switch (c.kind()) {
                case CREATED -> session(id).<SessionEvent>map(s -> new SessionEvent.Created(s, c.actor())).stream().toList();
                case CONTEXT_CHANGED -> session(id).<SessionEvent>map(s -> new SessionEvent.ContextChanged(s, c.actor()))
                        .stream().toList();
                case FORKED -> session(id).<SessionEvent>map(s -> new SessionEvent.Forked(s, c.actor())).stream().toList();
                case TRANSITIONED, RECOVERED -> transitioned(c);
                case ACTIVITY_APPENDED -> activity(c);
                case TRANSCRIPT_CHANGED -> List.of(new SessionEvent.TranscriptChanged(id,
                        c.appended() == 0 ? List.of()
                                : transcripts.after(id, c.ref() - c.appended(), Math.toIntExact(c.appended())),
                        c.removed(), c.actor()));
                // The approval as stored now, found by its number in the session (gone with a deleted session).
                case APPROVAL_REQUESTED -> approvals.findBySeq(id, c.ref(), clock)
                        .<SessionEvent>map(a -> new SessionEvent.ApprovalRequested(a, c.actor())).stream().toList();
                case APPROVAL_DECIDED -> approvals.findBySeq(id, c.ref(), clock)
                        .<SessionEvent>map(a -> new SessionEvent.ApprovalDecided(a, c.actor())).stream().toList();
                case MESSAGE_RECEIVED -> inbox.find(id, c.ref())
                        .<SessionEvent>map(m -> new SessionEvent.MessageReceived(m, c.actor())).stream().toList();
                case REPLY_QUEUED -> outbox.find(c.ref())
                        .<SessionEvent>map(r -> new SessionEvent.ReplyQueued(r, c.actor())).stream().toList();
                case TRANSCRIPT_COMPACTED -> List.of(new SessionEvent.TranscriptCompacted(id, c.ref(),
                        transcripts.after(id, c.ref() - 1, 1).stream().filter(i -> i.seq() == c.ref()).findFirst(),
                        c.removed(), c.actor()));
            };
        } catch (SessionNotFoundException deleted) {
            return List.of();
        }
    }

    /**
     * The entry as the log holds it now; one that the log already dropped (the session kept only its
     * newest entries, and this listener was further behind) cannot be told, so it is a resync instead.
     */
    private List<SessionEvent> activity(Change c) {
        return activities.list(c.sessionId()).stream().filter(a -> a.seq() == c.ref()).findFirst()
                .<SessionEvent>map(a -> new SessionEvent.ActivityAppended(a, c.actor()))
                .or(() -> sessions.findById(c.sessionId()).map(s -> new SessionEvent.Resync(c.seq(), TRIMMED)))
                .stream().toList();
    }

    /** The reason of a resync for activity entries that were dropped before they could be told. */
    static final String TRIMMED = "trimmed";

    private List<SessionEvent> transitioned(Change c) {
        SessionStatus from = c.from().orElseThrow();
        SessionStatus to = c.to().orElseThrow();
        Transition t = new Transition(c.sessionId(), from, to, c.at(), c.reason().orElseThrow(), c.actor());
        List<SessionEvent> events = new ArrayList<>(2);
        if (c.kind() == Change.Kind.RECOVERED) {
            events.add(new SessionEvent.Recovered(t));
        } else {
            session(c.sessionId()).ifPresent(s -> events.add(new SessionEvent.Transitioned(s, t)));
        }
        if (to != SessionStatus.ACTIVE) {
            runEnded.apply(c.sessionId()).ifPresent(lease -> events.add(new SessionEvent.LeaseLost(lease)));
        }
        return events;
    }

    private Optional<Session> session(SessionId id) {
        return sessions.findById(id);
    }
}
