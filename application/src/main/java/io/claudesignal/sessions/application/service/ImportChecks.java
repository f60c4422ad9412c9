package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionArchive;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.ApprovalId;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.ForkOrigin;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.TranscriptItem;
import io.claudesignal.sessions.domain.Transition;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an imported line must be, beyond being well formed: what the API could have written. Each
 * refusal is an {@link InvalidInputException} naming the line's field; nothing is written before these
 * checks pass.
 */
final class ImportChecks {

    /**
     * The largest number a line may carry (2^53 - 1): every JSON reader keeps it exact, and a session
     * that far from {@link Long#MAX_VALUE} can still be written to (its version and numbers go up).
     */
    static final long MAX_NUMBER = (1L << 53) - 1;
    /** The most failed sends a reply can have counted: the most {@code MessagesConfig.replyAttempts} allows. */
    static final long MAX_REPLY_ATTEMPTS = 1000;

    private final ContextJson json;
    private final StoreOperations operations;

    ImportChecks(ContextJson json, StoreOperations operations) {
        this.json = json;
        this.operations = operations;
    }

    void check(ExportFormat.Parsed parsed) {
        SessionArchive archive = parsed.archive();
        Session session = archive.session();
        requireUsableId("id", session.id());
        json.requireObject("context", session.context(), json.maxBytes());
        history(session, archive.history());
        session.forkedFrom().ifPresent(origin -> fork(session.id(), origin));
        activities(archive);
        items(archive, parsed.items());
        approvals(archive);
        inbox(archive);
        outbox(archive);
    }

    /**
     * What the API leaves behind: numbered from 1 up without gaps or repeats, one key once, a request a
     * JSON object, a deadline within the longest timeout, and the decision's fields as each state has
     * them. PENDING only in an ACTIVE session: leaving ACTIVE cancels (or expires) them in its step.
     */
    private void approvals(SessionArchive archive) {
        Set<String> keys = new HashSet<>();
        Set<ApprovalId> ids = new HashSet<>();
        long expected = 1;
        for (Approval a : archive.approvals()) {
            requireUsableId("approvals.id", new SessionId(a.id().value()));
            if (!ids.add(a.id())) {
                throw new InvalidInputException("approvals.id", a.id() + " used twice");
            }
            if (a.seq() != expected++) {
                throw new InvalidInputException("approvals.seq", a.seq() + " where " + (expected - 1) + " was due");
            }
            key("approvals.key", a.key(), keys);
            json.requireObject("approvals.request", a.request(), json.maxBytes());
            if (a.expiresAt().isBefore(a.requestedAt())
                    || a.expiresAt().isAfter(a.requestedAt().plus(Approval.MAX_TIMEOUT))) {
                throw new InvalidInputException("approvals.expiresAt", "must be within " + Approval.MAX_TIMEOUT.toDays()
                        + " days after requestedAt");
            }
            try {
                a.note().ifPresent(Approval::validateNote);
            } catch (InvalidInputException e) {
                throw InFlightLines.renamed("approvals.note", e);
            }
            boolean decided = a.decidedAt().isPresent();
            boolean shaped = switch (a.state()) {
                case PENDING -> !decided && a.decidedBy().isEmpty() && a.note().isEmpty();
                case APPROVED, REJECTED -> decided && a.decidedBy().isPresent();
                case CANCELLED -> decided && a.decidedBy().isPresent() && a.note().isEmpty();
                case EXPIRED -> a.decidedAt().equals(Optional.of(a.expiresAt())) && a.decidedBy().isEmpty()
                        && a.note().isEmpty();
            };
            if (!shaped) {
                throw new InvalidInputException("approvals.state", a.state() + " with decidedAt " + a.decidedAt()
                        + ", decidedBy " + a.decidedBy() + " and a note " + (a.note().isPresent() ? "" : "not ") + "given");
            }
            if (decided && a.decidedAt().get().isBefore(a.requestedAt())) {
                throw new InvalidInputException("approvals.decidedAt", "is before requestedAt");
            }
            if (a.state() == Approval.State.PENDING && archive.session().status() != SessionStatus.ACTIVE) {
                throw new InvalidInputException("approvals.state", "PENDING in a " + archive.session().status()
                        + " session (leaving ACTIVE cancels its pending approvals)");
            }
        }
    }

    /** Numbered from 1 up without gaps (messages are kept until their session goes), one key once, JSON objects. */
    private void inbox(SessionArchive archive) {
        Set<String> keys = new HashSet<>();
        long expected = 1;
        for (InboxMessage m : archive.inbox()) {
            if (m.seq() != expected++) {
                throw new InvalidInputException("inbox.seq", m.seq() + " where " + (expected - 1) + " was due");
            }
            key("inbox.key", m.key(), keys);
            json.requireObject("inbox.message", m.json(), json.maxBytes());
        }
    }

    /** One key once, JSON objects, an error as the outbox keeps one (a line, not blank, within its length). */
    private void outbox(SessionArchive archive) {
        Set<String> keys = new HashSet<>();
        for (Reply r : archive.outbox()) {
            key("outbox.key", r.key(), keys);
            json.requireObject("outbox.reply", r.json(), json.maxBytes());
            if (r.lastError().isPresent() && !Reply.errorText(r.lastError().get()).equals(r.lastError().get())) {
                throw new InvalidInputException("outbox.lastError", "not an error as the outbox keeps one: "
                        + "one line of at most " + Reply.MAX_ERROR_LENGTH + " characters, not blank");
            }
        }
    }

    private static void key(String field, String key, Set<String> seen) {
        try {
            TranscriptItem.validateKey(key);
        } catch (InvalidInputException e) {
            throw InFlightLines.renamed(field, e);
        }
        if (!seen.add(key)) {
            throw new InvalidInputException(field, "\"" + key + "\" used twice");
        }
    }

    /** The nil UUID stands for "every session" in a resync event; the API never hands it out. */
    private static void requireUsableId(String field, SessionId id) {
        if (id.equals(SessionEvent.Resync.EVERY_SESSION)) {
            throw new InvalidInputException(field, "the nil UUID is not a session id");
        }
    }

    /**
     * A legal path through the lifecycle from CREATED, ending in the session's status, within its
     * version (each status change raised it by one). A fork starts with its one CREATED -> CREATED
     * entry. A session of the first (Python) daemon, upgraded in place, has no history at all: that is
     * accepted at version 1 only, where no change through this API can have happened.
     */
    private static void history(Session session, List<Transition> history) {
        SessionStatus at = SessionStatus.CREATED;
        int changes = 0;
        for (int i = 0; i < history.size(); i++) {
            Transition t = history.get(i);
            boolean forkEntry = i == 0 && session.forkedFrom().isPresent()
                    && t.from() == SessionStatus.CREATED && t.to() == SessionStatus.CREATED;
            if (forkEntry) {
                continue;
            }
            if (t.from() != at) {
                throw new InvalidInputException("history", "entry " + (i + 1) + " starts from " + t.from()
                        + " but the session was " + at + " then");
            }
            if (t.from() == t.to() || !t.from().canTransitionTo(t.to())) {
                throw new InvalidInputException("history", "entry " + (i + 1) + " is an illegal transition "
                        + t.from() + " -> " + t.to());
            }
            at = t.to();
            changes++;
        }
        boolean upgradedFromFirstDaemon = history.isEmpty() && session.version() == 1;
        if (at != session.status() && !upgradedFromFirstDaemon) {
            throw new InvalidInputException("history", "ends in " + at + " but the session is " + session.status());
        }
        if (session.version() < 1L + changes) {
            throw new InvalidInputException("version", session.version() + " is below the " + changes
                    + " status changes of its history plus one");
        }
    }

    /** Not itself; and within its parent, when the parent is here (it may come later in the file, or be deleted). */
    private void fork(SessionId self, ForkOrigin origin) {
        requireUsableId("forkedFrom.id", origin.parentId());
        if (origin.parentId().equals(self)) {
            throw new InvalidInputException("forkedFrom.id", "names the session itself");
        }
        Optional<SessionArchive> parent = operations.archive(origin.parentId());
        if (parent.isPresent() && origin.seq() > parent.get().transcriptLastSeq()) {
            throw new InvalidInputException("forkedFrom.throughSeq", origin.seq() + " is past the newest item of "
                    + origin.parentId() + " (" + parent.get().transcriptLastSeq() + ")");
        }
    }

    private void activities(SessionArchive archive) {
        long previous = 0;
        for (Activity a : archive.activities()) {
            json.requireObject("activities.entries.details", a.details(), json.maxBytes());
            if (a.seq() <= previous || a.seq() > archive.activityLastSeq()) {
                throw new InvalidInputException("activities.entries.seq", a.seq()
                        + " is out of order or above lastSeq " + archive.activityLastSeq());
            }
            previous = a.seq();
        }
    }

    private void items(SessionArchive archive, List<TranscriptItem> items) {
        long previous = 0;
        Set<String> keys = new HashSet<>();
        for (TranscriptItem item : items) {
            json.requireObject("transcript.items.item", item.json(), json.maxBytes());
            if (item.seq() <= previous || item.seq() > archive.transcriptLastSeq()) {
                throw new InvalidInputException("transcript.items.seq", item.seq()
                        + " is out of order or above lastSeq " + archive.transcriptLastSeq());
            }
            previous = item.seq();
            Optional<String> key = item.key();
            if (key.isPresent()) {
                TranscriptItem.validateKey(key.get());
                if (!keys.add(key.get())) {
                    throw new InvalidInputException("transcript.items.key", "\"" + key.get() + "\" used twice");
                }
            }
        }
    }
}
