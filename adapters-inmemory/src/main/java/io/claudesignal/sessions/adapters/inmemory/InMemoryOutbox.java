package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.OutboxRepository;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.Reply.State;
import io.claudesignal.sessions.domain.ReplyNotFoundException;
import io.claudesignal.sessions.domain.SessionId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The outbox of an {@link InMemorySessionRepository}, under its lock: replies go with their session. */
final class InMemoryOutbox implements OutboxRepository {

    private final InMemorySessionRepository sessions;
    private final NavigableMap<Long, Reply> replies = new TreeMap<>();
    private final Map<SessionId, Map<String, Long>> keys = new HashMap<>();
    private long lastId;

    InMemoryOutbox(InMemorySessionRepository sessions) {
        this.sessions = sessions;
    }

    @Override
    public Enqueued enqueue(SessionId id, String json, String key, WriteContext write) {
        return sessions.underWriteLock(() -> {
            sessions.existing(id);
            write.stamp();
            sessions.admit(id, write);
            Map<String, Long> known = keys.computeIfAbsent(id, k -> new HashMap<>());
            Long existing = known.get(key);
            if (existing != null) {
                return new Enqueued(replies.get(existing), false);
            }
            Reply reply = new Reply(++lastId, id, json, key, State.PENDING, 0, write.at(), Optional.empty(), write.at());
            replies.put(reply.id(), reply);
            known.put(key, reply.id());
            sessions.changes().record(Change.Entry.of(id, Change.Kind.REPLY_QUEUED, reply.id(), write));
            return new Enqueued(reply, true);
        });
    }

    @Override
    public List<Reply> claim(int limit, Duration leaseTime, Clock clock) {
        return sessions.underWriteLock(() -> {
            Instant now = now(clock);
            List<Reply> claimed = new ArrayList<>();
            // A session with an older unsent reply (pending, or claimed) waits for it: per session in order.
            Set<SessionId> waiting = new HashSet<>();
            for (Reply r : replies.values()) {
                if (claimed.size() == limit) {
                    break;
                }
                if (r.state() == State.SENT || r.state() == State.DEAD) {
                    continue;
                }
                if (waiting.add(r.sessionId()) && !r.dueAt().isAfter(now)) {
                    Reply mine = new Reply(r.id(), r.sessionId(), r.json(), r.key(), State.CLAIMED, r.attempts(),
                            now.plus(leaseTime), r.lastError(), r.queuedAt());
                    replies.put(r.id(), mine);
                    claimed.add(mine);
                }
            }
            return List.copyOf(claimed);
        });
    }

    @Override
    public Reply sent(long replyId, Clock clock) {
        return change(replyId, r -> r.state() == State.SENT ? r
                : new Reply(r.id(), r.sessionId(), r.json(), r.key(), State.SENT, r.attempts(), now(clock), r.lastError(),
                        r.queuedAt()));
    }

    @Override
    public Reply failed(long replyId, String error, Retries retries, Clock clock) {
        return change(replyId, r -> {
            if (r.state() != State.CLAIMED) {
                return r; // too late: sent, dead, or given to another sender already
            }
            int attempts = r.attempts() + 1;
            boolean dead = attempts >= retries.maxAttempts();
            Instant now = now(clock);
            return new Reply(r.id(), r.sessionId(), r.json(), r.key(), dead ? State.DEAD : State.PENDING, attempts,
                    dead ? now : now.plus(retries.after(attempts)), Optional.of(error), r.queuedAt());
        });
    }

    @Override
    public Reply retry(long replyId, Clock clock) {
        return change(replyId, r -> r.state() == State.DEAD || r.state() == State.PENDING
                ? new Reply(r.id(), r.sessionId(), r.json(), r.key(), State.PENDING, 0, now(clock), r.lastError(), r.queuedAt())
                : r);
    }

    @Override
    public Optional<Reply> find(long replyId) {
        return sessions.underReadLock(() -> Optional.ofNullable(replies.get(replyId)));
    }

    @Override
    public List<Reply> list(Optional<SessionId> session, boolean deadOnly, int limit) {
        return sessions.underReadLock(() -> {
            session.ifPresent(sessions::existing);
            return replies.values().stream()
                    .filter(r -> session.map(r.sessionId()::equals).orElse(true))
                    .filter(r -> deadOnly ? r.state() == State.DEAD : r.state() != State.SENT)
                    .limit(limit).toList();
        });
    }

    @Override
    public Depth depth() {
        return sessions.underReadLock(() -> new Depth(
                replies.values().stream().filter(r -> r.state() == State.PENDING || r.state() == State.CLAIMED).count(),
                replies.values().stream().filter(r -> r.state() == State.DEAD).count()));
    }

    private Reply change(long replyId, java.util.function.UnaryOperator<Reply> step) {
        return sessions.underWriteLock(() -> {
            Reply r = replies.get(replyId);
            if (r == null) {
                throw new ReplyNotFoundException(replyId);
            }
            Reply after = step.apply(r);
            replies.put(replyId, after);
            return after;
        });
    }

    /** The session's replies in enqueue order (an export's); the caller holds the lock. */
    List<Reply> stored(SessionId id) {
        return replies.values().stream().filter(r -> r.sessionId().equals(id)).toList();
    }

    /** An import's: the replies of a session just restored, numbered anew in their order; the caller holds the write lock. */
    void restore(SessionId id, List<Reply> restored) {
        Map<String, Long> known = keys.computeIfAbsent(id, k -> new HashMap<>());
        for (Reply r : restored) {
            Reply numbered = new Reply(++lastId, id, r.json(), r.key(), r.state(), r.attempts(), r.dueAt(), r.lastError(),
                    r.queuedAt());
            replies.put(numbered.id(), numbered);
            known.put(r.key(), numbered.id());
        }
    }

    /** Drops a deleted session's replies; the caller holds the write lock. */
    void forget(SessionId id) {
        replies.values().removeIf(r -> r.sessionId().equals(id));
        keys.remove(id);
    }

    private static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
