package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.application.port.out.ActivityRepository;
import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.CatchUp;
import io.claudesignal.sessions.domain.SessionId;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The activity logs of an {@link InMemorySessionRepository}'s sessions, under its lock as its
 * transcripts are: an entry is appended in the step that checks the session and its lease and
 * records the change, and a session's log goes with it when it is deleted or purged.
 */
final class InMemoryActivityLog implements ActivityRepository {

    private final InMemorySessionRepository sessions;
    final Map<SessionId, Log> logs = new HashMap<>();

    /** One session's activity log: the newest entries, the last sequence number, the marker. */
    static final class Log {
        final ArrayDeque<Activity> entries = new ArrayDeque<>();
        long lastSeq;
        long acknowledgedSeq;
    }

    InMemoryActivityLog(InMemorySessionRepository sessions) {
        this.sessions = sessions;
    }

    @Override
    public Activity append(SessionId id, String type, String details, WriteContext write, int keep) {
        sessions.lock().writeLock().lock();
        try {
            sessions.existing(id);
            sessions.admit(id, write);
            Log log = logs.computeIfAbsent(id, k -> new Log());
            Activity activity = new Activity(id, log.lastSeq + 1, type, details, write.at());
            log.lastSeq = activity.seq();
            log.entries.addLast(activity);
            while (log.entries.size() > keep) {
                log.entries.removeFirst();
            }
            sessions.changes().record(Change.Entry.activity(id, activity.seq(), write));
            return activity;
        } finally {
            sessions.lock().writeLock().unlock();
        }
    }

    @Override
    public List<Activity> list(SessionId id) {
        sessions.lock().readLock().lock();
        try {
            sessions.existing(id);
            Log log = logs.get(id);
            return log == null ? List.of() : List.copyOf(log.entries);
        } finally {
            sessions.lock().readLock().unlock();
        }
    }

    @Override
    public CatchUp catchUp(SessionId id) {
        sessions.lock().readLock().lock();
        try {
            sessions.existing(id);
            Log log = logs.get(id);
            if (log == null) {
                return new CatchUp(id, 0, 0, List.of());
            }
            List<Activity> unseen = log.entries.stream().filter(a -> a.seq() > log.acknowledgedSeq).toList();
            return new CatchUp(id, log.acknowledgedSeq, log.lastSeq, unseen);
        } finally {
            sessions.lock().readLock().unlock();
        }
    }

    @Override
    public long acknowledge(SessionId id, long throughSeq) {
        sessions.lock().writeLock().lock();
        try {
            sessions.existing(id);
            Log log = logs.get(id);
            if (log == null) {
                return 0;
            }
            log.acknowledgedSeq = Math.max(log.acknowledgedSeq, Math.min(throughSeq, log.lastSeq));
            return log.acknowledgedSeq;
        } finally {
            sessions.lock().writeLock().unlock();
        }
    }

    /** Drops a deleted session's log; the caller holds the write lock. */
    void forget(SessionId id) {
        logs.remove(id);
    }
}
