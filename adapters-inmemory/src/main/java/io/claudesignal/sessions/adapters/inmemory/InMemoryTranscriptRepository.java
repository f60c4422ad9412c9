package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.application.port.out.SearchRequest;
import io.claudesignal.sessions.application.port.out.SearchText;
import io.claudesignal.sessions.application.port.out.TranscriptRepository;
import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.NewTranscriptItem;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.TranscriptCompaction;
import io.claudesignal.sessions.domain.TranscriptItem;
import io.claudesignal.sessions.domain.Transition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The transcripts of an {@link InMemorySessionRepository}'s sessions, under its lock: a session and
 * its transcript are deleted, and a fork is made, in one step. Items by number in a sorted map, so a
 * window is a seek, as in a database index.
 */
public final class InMemoryTranscriptRepository implements TranscriptRepository {

    private final InMemorySessionRepository sessions;
    final Map<SessionId, Transcript> transcripts = new HashMap<>();

    /** One session's items, their keys, and the last number handed out (which pops do not take back). */
    static final class Transcript {
        final Items items = new Items();
        final Map<String, TranscriptItem> byKey = new HashMap<>();
        long lastSeq;
    }

    /** Where search positions come from: rising, across every store in this JVM. */
    private static final AtomicLong POSITIONS = new AtomicLong();

    /**
     * A session's items by number, each given a search position when it is put (by an append, a fork's
     * copy, any other insert), as a database's index is kept by the database: no writer has to remember it.
     */
    static final class Items extends TreeMap<Long, TranscriptItem> {
        private final Map<Long, Long> positions = new HashMap<>();

        @Override
        public TranscriptItem put(Long seq, TranscriptItem item) {
            positions.put(seq, POSITIONS.incrementAndGet());
            return super.put(seq, item);
        }

        @Override
        public void putAll(Map<? extends Long, ? extends TranscriptItem> items) {
            items.forEach(this::put); // not TreeMap's bulk copy, which would skip put
        }

        long position(long seq) {
            return positions.getOrDefault(seq, 0L);
        }
    }

    InMemoryTranscriptRepository(InMemorySessionRepository sessions) {
        this.sessions = sessions;
    }

    @Override
    public Appended append(SessionId id, List<String> itemsJson, Optional<String> key, WriteContext write) {
        return write(() -> {
            sessions.existing(id);
            sessions.admit(id, write);
            Transcript t = transcripts.computeIfAbsent(id, k -> new Transcript());
            if (key.isPresent()) {
                TranscriptItem existing = t.byKey.get(key.get());
                if (existing != null) {
                    return new Appended(List.of(existing), false);
                }
            }
            List<TranscriptItem> appended = new ArrayList<>(itemsJson.size());
            for (String json : itemsJson) {
                TranscriptItem item = new TranscriptItem(id, t.lastSeq + 1, json, key, write.at());
                t.lastSeq = item.seq();
                t.items.put(item.seq(), item);
                key.ifPresent(k -> t.byKey.put(k, item));
                appended.add(item);
            }
            sessions.changes().record(Change.Entry.transcript(id, t.lastSeq, appended.size(), 0, write));
            return new Appended(appended, true);
        });
    }

    @Override
    public Appended appendAbsent(SessionId id, List<NewTranscriptItem> batch, WriteContext write) {
        return write(() -> {
            sessions.existing(id);
            sessions.admit(id, write);
            Transcript t = transcripts.computeIfAbsent(id, k -> new Transcript());
            List<TranscriptItem> appended = new ArrayList<>(batch.size());
            for (NewTranscriptItem next : batch) {
                if (next.key().isPresent() && t.byKey.containsKey(next.key().get())) {
                    continue;
                }
                TranscriptItem item = new TranscriptItem(id, t.lastSeq + 1, next.json(), next.key(), write.at());
                t.lastSeq = item.seq();
                t.items.put(item.seq(), item);
                next.key().ifPresent(k -> t.byKey.put(k, item));
                appended.add(item);
            }
            if (appended.isEmpty()) {
                return new Appended(List.of(), false);
            }
            sessions.changes().record(Change.Entry.transcript(id, t.lastSeq, appended.size(), 0, write));
            return new Appended(appended, true);
        });
    }

    @Override
    public TranscriptCompaction compact(SessionId id, long throughSeq, String summaryJson, WriteContext write) {
        return write(() -> {
            sessions.existing(id);
            sessions.admit(id, write);
            Transcript t = transcripts.get(id);
            long newest = t == null || t.items.isEmpty() ? 0 : t.items.lastKey();
            if (throughSeq > newest) {
                throw new InvalidInputException("throughSeq", "is past the newest item of " + id + " (" + newest
                        + "), was " + throughSeq);
            }
            NavigableMap<Long, TranscriptItem> replaced = t.items.headMap(throughSeq, true);
            if (replaced.isEmpty()) {
                throw new InvalidInputException("throughSeq", "no item of " + id + " is numbered " + throughSeq
                        + " or below: they were compacted or cleared already");
            }
            long removed = replaced.size();
            replaced.values().forEach(item -> item.key().ifPresent(t.byKey::remove));
            replaced.clear();
            TranscriptItem summary = new TranscriptItem(id, throughSeq, summaryJson, Optional.empty(), write.at());
            t.items.put(throughSeq, summary);
            sessions.changes().record(Change.Entry.transcript(id, throughSeq, 1, removed, write));
            return new TranscriptCompaction(summary, removed);
        });
    }

    @Override
    public List<TranscriptItem> tail(SessionId id, int limit) {
        return read(() -> {
            sessions.existing(id);
            Transcript t = transcripts.get(id);
            if (t == null) {
                return List.of();
            }
            List<TranscriptItem> newest = new ArrayList<>(Math.min(limit, t.items.size()));
            for (TranscriptItem item : t.items.descendingMap().values()) {
                if (newest.size() == limit) {
                    break;
                }
                newest.add(item);
            }
            Collections.reverse(newest);
            return List.copyOf(newest);
        });
    }

    @Override
    public List<TranscriptItem> after(SessionId id, long afterSeq, int limit) {
        return read(() -> {
            sessions.existing(id);
            Transcript t = transcripts.get(id);
            if (t == null) {
                return List.of();
            }
            return t.items.tailMap(afterSeq, false).values().stream().limit(limit).toList();
        });
    }

    @Override
    public Optional<TranscriptItem> popLast(SessionId id, WriteContext write) {
        return write(() -> {
            sessions.existing(id);
            sessions.admit(id, write);
            Transcript t = transcripts.get(id);
            if (t == null || t.items.isEmpty()) {
                return Optional.empty();
            }
            TranscriptItem last = t.items.pollLastEntry().getValue();
            last.key().ifPresent(t.byKey::remove);
            sessions.changes().record(Change.Entry.transcript(id, 0, 0, 1, write));
            return Optional.of(last);
        });
    }

    @Override
    public long clear(SessionId id, WriteContext write) {
        return write(() -> {
            sessions.existing(id);
            sessions.admit(id, write);
            Transcript t = transcripts.get(id);
            if (t == null) {
                return 0L;
            }
            long removed = t.items.size();
            t.items.clear();
            t.byKey.clear();
            if (removed > 0) {
                sessions.changes().record(Change.Entry.transcript(id, 0, 0, removed, write));
            }
            return removed;
        });
    }

    @Override
    public long count(SessionId id) {
        return read(() -> {
            sessions.existing(id);
            Transcript t = transcripts.get(id);
            return t == null ? 0L : (long) t.items.size();
        });
    }

    /** A scan of every item's text: memory holds no index, and needs none at the sizes it serves. */
    @Override
    public List<SearchRequest.Hit> search(SearchRequest request) {
        return read(() -> {
            request.sessionId().ifPresent(sessions::existing);
            List<SearchRequest.Hit> hits = new ArrayList<>();
            for (Map.Entry<SessionId, Transcript> entry : transcripts.entrySet()) {
                if (request.sessionId().isPresent() && !request.sessionId().get().equals(entry.getKey())) {
                    continue;
                }
                Session session = sessions.byId.get(entry.getKey());
                if (session == null || !request.statuses().isEmpty() && !request.statuses().contains(session.status())) {
                    continue;
                }
                Items items = entry.getValue().items;
                for (TranscriptItem item : items.values()) {
                    long position = items.position(item.seq());
                    if (request.before().map(b -> position < b).orElse(true)
                            && request.since().map(s -> !item.at().isBefore(s)).orElse(true)
                            && request.until().map(u -> item.at().isBefore(u)).orElse(true)
                            && SearchText.holdsAll(SearchText.of(item.json()), request.words())) {
                        hits.add(new SearchRequest.Hit(item, position));
                    }
                }
            }
            hits.sort(Comparator.comparingLong(SearchRequest.Hit::position).reversed());
            return List.copyOf(hits.subList(0, Math.min(request.limit(), hits.size())));
        });
    }

    /** The step of {@link InMemorySessionRepository#fork}: here, as most of it is copying the items. */
    Session fork(Session child, WriteContext write) {
        long through = child.forkedFrom().orElseThrow().seq();
        SessionId parentId = child.forkedFrom().get().parentId();
        return write(() -> {
            Session parent = sessions.existing(parentId);
            Transcript source = transcripts.get(parentId);
            long newest = source == null || source.items.isEmpty() ? 0 : source.items.lastKey();
            if (through > newest) {
                throw new InvalidInputException("throughSeq", "is past the newest item of " + parentId + " ("
                        + newest + "), was " + through);
            }
            Session stored = new Session(child.id(), child.projectPath(), child.threadId(), child.status(),
                    parent.context(), child.createdAt(), child.updatedAt(), child.version(), child.forkedFrom());
            sessions.insertForked(stored, new Transition(stored.id(), SessionStatus.CREATED, SessionStatus.CREATED,
                    write.at(), write.reason(), write.actor()), write);
            Transcript copy = new Transcript();
            copy.lastSeq = through;
            if (source != null) {
                for (TranscriptItem item : source.items.headMap(through, true).values()) {
                    TranscriptItem copied = new TranscriptItem(stored.id(), item.seq(), item.json(), item.key(), item.at());
                    copy.items.put(copied.seq(), copied);
                    copied.key().ifPresent(k -> copy.byKey.put(k, copied));
                }
            }
            transcripts.put(stored.id(), copy);
            return stored;
        });
    }

    /** Drops a deleted session's transcript; the caller holds the write lock. */
    void forget(SessionId id) {
        transcripts.remove(id);
    }

    private <T> T write(Supplier<T> step) {
        return sessions.underWriteLock(step);
    }

    private <T> T read(Supplier<T> step) {
        return sessions.underReadLock(step);
    }
}
