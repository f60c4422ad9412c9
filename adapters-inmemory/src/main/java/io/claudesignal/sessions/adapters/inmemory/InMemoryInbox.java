package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.InboxRepository;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.InboxFullException;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.InboxMessage.State;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.LeaseHeldException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The inboxes of an {@link InMemorySessionRepository}'s sessions, under its lock: a session and its
 * messages are deleted in one step, and a recovery puts taken messages back in its own step.
 */
final class InMemoryInbox implements InboxRepository {

    private final InMemorySessionRepository sessions;
    private final Map<SessionId, Messages> inboxes = new HashMap<>();

    /** One session's messages by number, and by key. */
    private static final class Messages {
        final NavigableMap<Long, InboxMessage> bySeq = new TreeMap<>();
        final Map<String, Long> byKey = new HashMap<>();
        long unhandled; // waiting or taken: the bound's count, kept rather than counted
    }

    InMemoryInbox(InMemorySessionRepository sessions) {
        this.sessions = sessions;
    }

    @Override
    public Received receive(SessionId id, String json, String key, int limit, WriteContext write) {
        return sessions.underWriteLock(() -> {
            sessions.existing(id);
            write.stamp();
            sessions.admit(id, write);
            Messages m = inboxes.computeIfAbsent(id, k -> new Messages());
            Long known = m.byKey.get(key);
            if (known != null) {
                return new Received(m.bySeq.get(known), false);
            }
            if (m.unhandled >= limit) {
                throw new InboxFullException(id, limit);
            }
            long seq = m.bySeq.isEmpty() ? 1 : m.bySeq.lastKey() + 1;
            InboxMessage message = new InboxMessage(id, seq, json, key, State.WAITING, write.at());
            m.bySeq.put(seq, message);
            m.byKey.put(key, seq);
            m.unhandled++;
            sessions.changes().record(Change.Entry.of(id, Change.Kind.MESSAGE_RECEIVED, seq, write));
            return new Received(message, true);
        });
    }

    @Override
    public Optional<InboxMessage> next(SessionId id, WriteContext write) {
        return sessions.underWriteLock(() -> {
            sessions.existing(id);
            write.stamp();
            admitTaker(id, write);
            Messages m = inboxes.get(id);
            if (m == null) {
                return Optional.empty();
            }
            Optional<InboxMessage> oldest = m.bySeq.values().stream().filter(x -> x.state() == State.WAITING).findFirst();
            return oldest.map(x -> {
                InboxMessage taken = x.withState(State.TAKEN);
                m.bySeq.put(x.seq(), taken);
                return taken;
            });
        });
    }

    /** A fenced take needs its lease; an unfenced one only that no live lease of another holds the session. */
    private void admitTaker(SessionId id, WriteContext write) {
        sessions.admit(id, write);
        Optional<Lease> stored = Optional.ofNullable(sessions.leases().current(id));
        if (write.fence().isEmpty() && stored.filter(l -> l.isLiveAt(write.at())).isPresent()) {
            throw new LeaseHeldException(stored.get());
        }
    }

    @Override
    public InboxMessage done(SessionId id, long seq, WriteContext write) {
        return sessions.underWriteLock(() -> {
            sessions.existing(id);
            write.stamp();
            sessions.admit(id, write);
            Messages m = inboxes.get(id);
            InboxMessage message = m == null ? null : m.bySeq.get(seq);
            if (message == null) {
                throw new InvalidInputException("seq", "session " + id + " has no message " + seq);
            }
            InboxMessage done = message.withState(State.DONE);
            if (message.state() != State.DONE) {
                m.unhandled--;
            }
            m.bySeq.put(seq, done);
            return done;
        });
    }

    @Override
    public Optional<InboxMessage> find(SessionId id, long seq) {
        return sessions.underReadLock(() -> Optional.ofNullable(inboxes.get(id)).map(m -> m.bySeq.get(seq)));
    }

    @Override
    public List<InboxMessage> list(SessionId id, boolean withDone, int limit) {
        return sessions.underReadLock(() -> {
            sessions.existing(id);
            Messages m = inboxes.get(id);
            return m == null ? List.<InboxMessage>of() : m.bySeq.values().stream()
                    .filter(x -> withDone || x.state() != State.DONE).limit(limit).toList();
        });
    }

    @Override
    public long waiting() {
        return sessions.underReadLock(() -> inboxes.values().stream()
                .mapToLong(m -> m.bySeq.values().stream().filter(x -> x.state() == State.WAITING).count()).sum());
    }

    /** In a recovery's step: the taken messages of every session no longer ACTIVE wait again. */
    void requeueTaken() {
        inboxes.forEach((id, m) -> {
            if (sessions.byId.get(id).status() != SessionStatus.ACTIVE) {
                m.bySeq.replaceAll((seq, x) -> x.state() == State.TAKEN ? x.withState(State.WAITING) : x);
            }
        });
    }

    /** In the step of a claim that took the session over, or of a release that ended the lease: taken waits again. */
    void requeueTaken(SessionId id) {
        Messages m = inboxes.get(id);
        if (m != null) {
            m.bySeq.replaceAll((seq, x) -> x.state() == State.TAKEN ? x.withState(State.WAITING) : x);
        }
    }

    /** The session's messages by number (an export's); the caller holds the lock. */
    List<InboxMessage> stored(SessionId id) {
        Messages m = inboxes.get(id);
        return m == null ? List.of() : List.copyOf(m.bySeq.values());
    }

    /** An import's: the messages of a session just restored, as they were; the caller holds the write lock. */
    void restore(SessionId id, List<InboxMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        Messages m = inboxes.computeIfAbsent(id, k -> new Messages());
        for (InboxMessage message : messages) {
            m.bySeq.put(message.seq(), message);
            m.byKey.put(message.key(), message.seq());
            if (message.state() != State.DONE) {
                m.unhandled++;
            }
        }
    }

    /** Drops a deleted session's messages; the caller holds the write lock. */
    void forget(SessionId id) {
        inboxes.remove(id);
    }
}
