package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import io.claudesignal.sessions.domain.DuplicateSessionException;
import io.claudesignal.sessions.application.port.out.SessionArchive;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/** {@link StoreOperations} on the in-memory store, each step under its one lock. */
final class InMemoryOperations implements StoreOperations {

    private static final Comparator<SessionSummary> OLDEST_CHANGE_FIRST =
            Comparator.comparing(SessionSummary::updatedAt).thenComparing(SessionSummary::id);

    private final InMemorySessionRepository data;

    InMemoryOperations(InMemorySessionRepository data) {
        this.data = data;
    }

    @Override
    public Session setPinned(SessionId id, boolean pinned) {
        return write(() -> {
            Session pinnedOrNot = data.existing(id).withPinned(pinned);
            data.byId.put(id, pinnedOrNot);
            return pinnedOrNot;
        });
    }

    private static boolean purgeable(Session s, Instant cutoff) {
        return s.status() == SessionStatus.TERMINATED && !s.pinned() && s.updatedAt().isBefore(cutoff);
    }

    @Override
    public List<SessionSummary> purgeCandidates(Instant cutoff, Optional<SessionSummary> after, int limit) {
        return read(() -> data.byId.values().stream()
                .filter(s -> purgeable(s, cutoff))
                .map(Session::summary)
                .filter(s -> after.isEmpty() || OLDEST_CHANGE_FIRST.compare(s, after.get()) > 0)
                .sorted(OLDEST_CHANGE_FIRST)
                .limit(limit)
                .toList());
    }

    @Override
    public int purgeBatch(Instant cutoff, int limit) {
        return write(() -> {
            List<Session> doomed = data.byId.values().stream().filter(s -> purgeable(s, cutoff))
                    .sorted(Comparator.comparing(Session::updatedAt).thenComparing(Session::id)).limit(limit).toList();
            for (Session s : doomed) {
                data.byId.remove(s.id());
                data.byAge.remove(InMemorySessionRepository.key(s));
                data.histories.remove(s.id());
                data.forgetOwned(s.id());
            }
            return doomed.size();
        });
    }

    @Override
    public Optional<SessionArchive> archive(SessionId id) {
        return read(() -> {
            Session s = data.byId.get(id);
            if (s == null) {
                return Optional.empty();
            }
            InMemoryActivityLog.Log log = data.activityLog().logs.get(id);
            InMemoryInFlight inFlight = data.inFlight();
            InMemoryTranscriptRepository.Transcript transcript = data.transcripts().transcripts.get(id);
            return Optional.of(new SessionArchive(s, data.histories.getOrDefault(id, List.of()),
                    log == null ? 0 : log.lastSeq, log == null ? 0 : log.acknowledgedSeq,
                    log == null ? List.of() : List.copyOf(log.entries), transcript == null ? 0 : transcript.lastSeq,
                    inFlight.approvals().stored(id), inFlight.inbox().stored(id), inFlight.outbox().stored(id)));
        });
    }

    @Override
    public void restore(SessionArchive archive, List<TranscriptItem> items) {
        Session s = archive.session();
        write(() -> {
            if (data.byId.containsKey(s.id())) {
                throw new DuplicateSessionException(s.id());
            }
            // Checked before anything is written: the step writes all of the session or nothing.
            InMemoryInFlight inFlight = data.inFlight();
            for (Approval a : archive.approvals()) {
                if (inFlight.approvals().holds(a.id())) {
                    throw new InvalidInputException("approvals.id", a.id() + " is the id of an approval in this store already");
                }
            }
            data.byId.put(s.id(), s);
            data.byAge.put(InMemorySessionRepository.key(s), s.id());
            if (!archive.history().isEmpty()) {
                data.histories.put(s.id(), new ArrayList<>(archive.history()));
            }
            if (archive.activityLastSeq() > 0) {
                InMemoryActivityLog.Log log = new InMemoryActivityLog.Log();
                log.lastSeq = archive.activityLastSeq();
                log.acknowledgedSeq = archive.acknowledgedSeq();
                log.entries.addAll(archive.activities());
                data.activityLog().logs.put(s.id(), log);
            }
            if (archive.transcriptLastSeq() > 0) {
                InMemoryTranscriptRepository.Transcript transcript = new InMemoryTranscriptRepository.Transcript();
                transcript.lastSeq = archive.transcriptLastSeq();
                for (TranscriptItem item : items) {
                    transcript.items.put(item.seq(), item);
                    item.key().ifPresent(k -> transcript.byKey.put(k, item));
                }
                data.transcripts().transcripts.put(s.id(), transcript);
            }
            inFlight.approvals().restore(s.id(), archive.approvals());
            inFlight.inbox().restore(s.id(), archive.inbox());
            inFlight.outbox().restore(s.id(), archive.outbox());
            return null;
        });
    }

    @Override
    public Sizes sizes() {
        return read(() -> {
            Map<SessionStatus, Long> byStatus = new EnumMap<>(SessionStatus.class);
            data.byId.values().forEach(s -> byStatus.merge(s.status(), 1L, Long::sum));
            long items = data.transcripts().transcripts.values().stream().mapToLong(t -> t.items.size()).sum();
            return new Sizes(byStatus, items, OptionalLong.empty());
        });
    }

    @Override
    public void backup(Path target) {
        throw new StorageException(Reason.UNSUPPORTED, null, "an in-memory store has no file to back up; "
                + "export its sessions instead");
    }

    private <T> T write(Supplier<T> step) {
        return data.underWriteLock(step);
    }

    private <T> T read(Supplier<T> step) {
        return data.underReadLock(step);
    }
}
