package io.claudesignal.sessions.application.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.Approvals;
import io.claudesignal.sessions.application.port.in.Leases;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.in.SessionListener;
import io.claudesignal.sessions.application.port.in.SessionPage;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.port.in.Subscription;
import io.claudesignal.sessions.application.port.in.Inbox;
import io.claudesignal.sessions.application.port.in.Outbox;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.application.port.out.ActivityRepository;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.PageCursor;
import io.claudesignal.sessions.application.port.out.PageRequest;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.SessionRepository;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.CatchUp;
import io.claudesignal.sessions.domain.DuplicateSessionException;
import io.claudesignal.sessions.domain.IdPrefix;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.StaleVersionException;
import io.claudesignal.sessions.domain.Transition;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The use cases of {@link Sessions} over any adapter's {@link Persistence}. One instance is one
 * actor's handle on the store: its {@link #leases()} are remembered and fence its later writes to
 * those sessions, and its {@link #transcripts()} write under the same leases and tell the same
 * listeners; the three share a {@link HandleContext}, none refers to another.
 */
public final class SessionService implements Sessions, AutoCloseable {

    /** Largest activity details accepted, in UTF-8 bytes: a log entry describes, it does not carry. */
    public static final int MAX_ACTIVITY_DETAILS_BYTES = 64 * 1024;

    /** How many ids an ambiguous prefix's error names. */
    static final int MAX_CANDIDATES_LISTED = 10;

    private final HandleContext handle;
    private final SessionRepository repository;
    private final ActivityRepository activityLog;
    private final TranscriptService transcripts;
    private final ApprovalService approvals;
    private final InboxService inbox;
    private final OutboxService outbox;
    private final Clock clock;
    private final SessionIdGenerator ids;
    private final ContextJson json;
    private final SessionsConfig config;
    private final LeaseKeeper keeper;

    public SessionService(Persistence persistence, Clock clock, SessionIdGenerator ids, ContextJson json,
            SessionsConfig config) {
        this.handle = new HandleContext(persistence, clock, config);
        this.repository = persistence.sessions();
        this.activityLog = persistence.activities();
        this.clock = handle.clock();
        this.ids = Objects.requireNonNull(ids, "ids");
        this.json = Objects.requireNonNull(json, "json");
        this.config = handle.config();
        this.keeper = handle.leases();
        this.transcripts = new TranscriptService(handle, persistence.transcripts(), json);
        this.approvals = new ApprovalService(handle, persistence.approvals(), json);
        this.inbox = new InboxService(handle, persistence.inbox(), json);
        this.outbox = new OutboxService(handle, persistence.outbox(), json);
    }

    /** A handle for the command-line tool, with the default settings. */
    public SessionService(Persistence persistence, Clock clock, SessionIdGenerator ids, ContextJson json) {
        this(persistence, clock, ids, json, SessionsConfig.cli());
    }

    /** The configuration of this handle, with the daemon's name as the store completed it. */
    public SessionsConfig config() {
        return config;
    }

    /** This handle's incarnation of its daemon (1 for the daemon's first start on this store); 0 if not a daemon. */
    public long incarnation() {
        return keeper.incarnation();
    }

    /** The transcripts, through this handle: fenced by its leases, told to its listeners. */
    public Transcripts transcripts() {
        return transcripts;
    }

    /** The approvals, through this handle: a request fenced by its leases, both told to its listeners. */
    public Approvals approvals() {
        return approvals;
    }

    /** The sessions' messages from the person, through this handle: fenced by its leases, told to its listeners. */
    public Inbox inbox() {
        return inbox;
    }

    /** The replies to send, through this handle (docs/messages.md). */
    public Outbox outbox() {
        return outbox;
    }

    /** The leases this handle claims, which fence its writes (of sessions and of transcripts). */
    public Leases leases() {
        return keeper;
    }

    @Override
    public Session create(String projectPath, String threadId) {
        Session session = Session.create(ids.next(), projectPath, threadId, now());
        WriteContext write = new WriteContext(session.createdAt(), config.actor(), Transition.USER, Optional.empty());
        return write(write, w -> {
            repository.insert(session, w);
            return session;
        }, created -> List.of(new SessionEvent.Created(created, config.actor())));
    }

    /** Attempts of a named create whose session is deleted between its insert and its read. */
    private static final int NAMED_CREATE_ATTEMPTS = 3;

    @Override
    public Session create(SessionId id, String projectPath, String threadId) {
        Objects.requireNonNull(id, "id");
        if (id.equals(SessionEvent.Resync.EVERY_SESSION)) {
            throw new InvalidInputException("id", "the nil UUID is reserved; choose another id");
        }
        Session session = Session.create(id, projectPath, threadId, now());
        for (int attempt = 1; ; attempt++) {
            WriteContext write = new WriteContext(session.createdAt(), config.actor(), Transition.USER, Optional.empty());
            try {
                // The insert is the check: "insert if absent" in the store, so of two racing creates
                // exactly one writes and the other finds what it wrote.
                return write(write, w -> {
                    repository.insert(session, w);
                    return session;
                }, created -> List.of(new SessionEvent.Created(created, config.actor())));
            } catch (DuplicateSessionException exists) {
                Optional<Session> stored = repository.findById(id);
                if (stored.isPresent()) {
                    // Project and thread never change, so this comparison cannot go stale.
                    Session found = stored.get();
                    if (found.projectPath().equals(session.projectPath()) && found.threadId().equals(session.threadId())) {
                        return found;
                    }
                    throw new DuplicateSessionException(id, "a session with id " + id
                            + " exists already with another project or thread");
                }
                if (attempt == NAMED_CREATE_ATTEMPTS) {
                    throw exists;
                }
            }
        }
    }

    @Override
    public Optional<Session> find(SessionId id) {
        return repository.findById(Objects.requireNonNull(id, "id"));
    }

    @Override
    public SessionId resolve(String idOrPrefix) {
        IdPrefix prefix = IdPrefix.parse(idOrPrefix);
        if (prefix.isWholeId()) {
            return prefix.lowest();
        }
        // One more than are listed tells that there are more, without counting them all.
        List<SessionId> candidates = repository.findIdsByPrefix(prefix, MAX_CANDIDATES_LISTED + 1);
        if (candidates.isEmpty()) {
            throw SessionNotFoundException.forPrefix(prefix);
        }
        if (candidates.size() > 1) {
            String listed = candidates.stream().limit(MAX_CANDIDATES_LISTED).map(SessionId::toString)
                    .collect(Collectors.joining(", "));
            throw new InvalidInputException("id", "the prefix " + prefix.text() + " is ambiguous: "
                    + (candidates.size() > MAX_CANDIDATES_LISTED ? "more than " + MAX_CANDIDATES_LISTED : candidates.size())
                    + " ids start with it (" + listed + (candidates.size() > MAX_CANDIDATES_LISTED ? ", ..." : "")
                    + "); type more of it");
        }
        return candidates.get(0);
    }

    @Override
    public SessionPage list(SessionQuery query) {
        Optional<PageCursor> after = query.cursor().map(PageCursor::decode);
        // One row more than asked tells whether another page follows, without a count.
        List<SessionSummary> rows = repository.findPage(new PageRequest(
                query.statuses(), query.projectPath(), query.threadId(), after, query.limit() + 1));
        if (rows.size() <= query.limit()) {
            return new SessionPage(rows, Optional.empty());
        }
        List<SessionSummary> page = rows.subList(0, query.limit());
        return new SessionPage(page, Optional.of(PageCursor.after(page.get(page.size() - 1)).encode()));
    }

    @Override
    public Session transition(SessionId id, SessionStatus expected, SessionStatus target) {
        return transition(id, expected, target, Transition.USER);
    }

    @Override
    public Session transition(SessionId id, SessionStatus expected, SessionStatus target, String reason) {
        Objects.requireNonNull(id, "id");
        Session.checkTransition(id, expected, target);
        WriteContext write = keeper.write(id, reason);
        return write(write, w -> repository.compareAndSetStatus(id, expected, target, w),
                changed -> afterTransition(changed, expected, write));
    }

    @Override
    public Session transition(SessionId id, SessionStatus target) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        WriteContext write = keeper.write(id, Transition.USER);
        return write(write, w -> repository.update(id, current -> current.transitionTo(target, w.at()), w),
                updated -> afterTransition(updated.written(), updated.replaced().status(), write)).written();
    }

    /** The lease rule of a status change, and what it tells. */
    private List<SessionEvent> afterTransition(Session changed, SessionStatus from, WriteContext write) {
        if (changed.status() != SessionStatus.ACTIVE) {
            keeper.runEnded(changed.id()); // the store dropped the lease in the same step
        }
        if (from == changed.status()) {
            return List.of();
        }
        return List.of(new SessionEvent.Transitioned(changed,
                new Transition(changed.id(), from, changed.status(), write.at(), write.reason(), write.actor())));
    }

    @Override
    public Session mergeContext(SessionId id, String mergePatch) {
        return mergeContext(id, mergePatch, Optional.empty());
    }

    @Override
    public Session mergeContext(SessionId id, String mergePatch, long expectedVersion) {
        return mergeContext(id, mergePatch, Optional.of(expectedVersion));
    }

    private Session mergeContext(SessionId id, String mergePatch, Optional<Long> expectedVersion) {
        Objects.requireNonNull(id, "id");
        // Parsed before the store is touched: a bad patch costs no lock and no read.
        ObjectNode patch = json.parsePatch(mergePatch);
        WriteContext write = keeper.write(id, Transition.USER);
        return write(write, w -> repository.update(id, current -> {
            if (expectedVersion.isPresent() && expectedVersion.get() != current.version()) {
                throw new StaleVersionException(id, expectedVersion.get(), current.version());
            }
            String merged = json.merge(current.context(), patch);
            // The same instance back means the patch changed nothing: nothing is written, nothing told.
            return merged != current.context() ? current.withContext(merged, w.at()) : current;
        }, w), updated -> updated.wrote()
                ? List.of(new SessionEvent.ContextChanged(updated.written(), config.actor()))
                : List.of()).written();
    }

    @Override
    public void delete(SessionId id) {
        repository.delete(Objects.requireNonNull(id, "id"), SessionStatus.TERMINATED);
        keeper.forget(id);
    }

    @Override
    public List<Transition> history(SessionId id) {
        return repository.history(Objects.requireNonNull(id, "id"));
    }

    @Override
    public List<SessionId> recover() {
        List<Transition> recovered = repository.recoverAbandoned(clock, config.leaseDuration(), config.actor());
        List<SessionId> result = new ArrayList<>(recovered.size());
        for (Transition t : recovered) {
            keeper.forget(t.sessionId());
            result.add(t.sessionId());
        }
        for (Transition t : recovered) {
            handle.publish(new SessionEvent.Recovered(t)); // the store's recovery made the write: no own write of ours
        }
        return List.copyOf(result);
    }

    @Override
    public Activity appendActivity(SessionId id, String type, String details) {
        Objects.requireNonNull(id, "id");
        Activity.validateType(type);
        String compact = json.compactObject("details", details, MAX_ACTIVITY_DETAILS_BYTES);
        return write(keeper.write(id, Transition.USER),
                w -> activityLog.append(id, type, compact, w, config.activityLimit()),
                appended -> List.of(new SessionEvent.ActivityAppended(appended, config.actor())));
    }

    @Override
    public List<Activity> activities(SessionId id) {
        return activityLog.list(Objects.requireNonNull(id, "id"));
    }

    @Override
    public CatchUp catchUp(SessionId id) {
        return activityLog.catchUp(Objects.requireNonNull(id, "id"));
    }

    @Override
    public CatchUp acknowledge(SessionId id, long throughSeq) {
        Objects.requireNonNull(id, "id");
        if (throughSeq < 0) {
            throw new InvalidInputException("throughSeq", "must not be negative, was " + throughSeq);
        }
        activityLog.acknowledge(id, throughSeq);
        return activityLog.catchUp(id);
    }

    @Override
    public Session fork(SessionId id, long throughSeq) {
        Objects.requireNonNull(id, "id");
        if (throughSeq < 0) {
            throw new InvalidInputException("throughSeq", "must not be negative, was " + throughSeq);
        }
        // Project and thread never change, so reading them before the step is safe; the store copies
        // the context and the items in the step itself.
        Session parent = get(id);
        // The parent is not written, so its lease does not fence this; the child is new and has none.
        WriteContext write = new WriteContext(now(), config.actor(), Transition.FORK, Optional.empty());
        return write(write, w -> repository.fork(Session.forkOf(parent, ids.next(), throughSeq, w.at()), w),
                child -> List.of(new SessionEvent.Forked(child, config.actor())));
    }

    @Override
    public Subscription subscribe(SessionListener listener) {
        return subscribe(listener, DEFAULT_BACKLOG);
    }

    @Override
    public Subscription subscribe(SessionListener listener, int backlog) {
        Objects.requireNonNull(listener, "listener");
        if (backlog < 1) {
            throw new InvalidInputException("backlog", "must be at least 1, was " + backlog);
        }
        return handle.subscribe(listener, backlog);
    }

    /** Stops following the store's change log; the store itself is closed by whoever opened it. */
    @Override
    public void close() {
        handle.close();
    }

    // Every write goes through the handle: fenced, and told in the session's order (see HandleContext).
    private <T> T write(WriteContext write, Function<WriteContext, T> step, Function<T, List<SessionEvent>> told) {
        return handle.write(write, step, told);
    }

    private Instant now() {
        return clock.instant();
    }
}
