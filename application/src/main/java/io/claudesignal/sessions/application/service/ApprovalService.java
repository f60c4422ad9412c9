package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.application.port.in.Approvals;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.out.ApprovalRepository;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.ApprovalId;
import io.claudesignal.sessions.domain.ApprovalNotFoundException;
import io.claudesignal.sessions.domain.IdPrefix;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.Transition;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The use cases of {@link Approvals}: validation here, before the store is touched; the writes go through
 * the handle's {@link HandleContext}, so that a request is fenced by the daemon's lease and both are told
 * to its listeners in order with its other writes.
 */
final class ApprovalService implements Approvals {

    /** How many ids an ambiguous prefix's error names, as for sessions. */
    static final int MAX_CANDIDATES_LISTED = 10;
    /** Most approvals {@link #recent} returns at once. */
    static final int MAX_RECENT = 10_000;

    private final HandleContext handle;
    private final LeaseKeeper fencing;
    private final ApprovalRepository store;
    private final ContextJson json;
    private final Clock clock;

    ApprovalService(HandleContext handle, ApprovalRepository store, ContextJson json) {
        this.handle = handle;
        this.fencing = handle.leases();
        this.store = store;
        this.json = json;
        this.clock = handle.clock();
    }

    @Override
    public Approval request(SessionId sessionId, String request, String key, Duration timeout) {
        Objects.requireNonNull(sessionId, "sessionId");
        Approval.validateKey(key);
        Approval.validateTimeout(timeout);
        // Checked, not rewritten: stored as the daemon wrote it; as large as a transcript item may be.
        json.requireObject("request", request, handle.config().transcriptItemLimit());
        ApprovalId id = ApprovalId.random();
        return handle.write(fencing.write(sessionId, Transition.USER),
                w -> store.request(id, sessionId, request, key, timeout, w, clock),
                requested -> requested.written()
                        ? List.of(new SessionEvent.ApprovalRequested(requested.approval(), handle.config().actor()))
                        : List.of()).approval();
    }

    @Override
    public Approval request(SessionId sessionId, String request, String key) {
        return request(sessionId, request, key, handle.config().approvalTimeout());
    }

    @Override
    public Approval decide(ApprovalId approvalId, Approval.Decision decision, Actor actor, String note) {
        Approval.validateNote(note);
        return decide(approvalId, decision, actor, Optional.of(note));
    }

    @Override
    public Approval decide(ApprovalId approvalId, Approval.Decision decision, Actor actor) {
        return decide(approvalId, decision, actor, Optional.empty());
    }

    private Approval decide(ApprovalId approvalId, Approval.Decision decision, Actor actor, Optional<String> note) {
        Objects.requireNonNull(approvalId, "approvalId");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(actor, "actor");
        // The person's decision, not a write of the session's runner: no lease fences it. The change is
        // recorded as the decider's, so that every listener hears who decided.
        WriteContext write = WriteContext.timedBy(clock, actor, Transition.USER, Optional.empty());
        return handle.write(write, w -> store.decide(approvalId, decision, actor, note, w, clock),
                decided -> decided.written()
                        ? List.of(new SessionEvent.ApprovalDecided(decided.approval(), actor))
                        : List.of()).approval();
    }

    @Override
    public List<Approval> pending(SessionId sessionId) {
        return store.pending(Optional.of(Objects.requireNonNull(sessionId, "sessionId")), clock);
    }

    @Override
    public List<Approval> pending() {
        return store.pending(Optional.empty(), clock);
    }

    @Override
    public Optional<Approval> find(ApprovalId approvalId) {
        return store.find(Objects.requireNonNull(approvalId, "approvalId"), clock);
    }

    @Override
    public List<Approval> all(SessionId sessionId) {
        return store.all(Objects.requireNonNull(sessionId, "sessionId"), clock);
    }

    @Override
    public List<Approval> recent(int limit) {
        if (limit < 1 || limit > MAX_RECENT) {
            throw new InvalidInputException("limit", "must be 1 to " + MAX_RECENT + ", was " + limit);
        }
        return store.recent(limit, clock);
    }

    @Override
    public ApprovalId resolve(String idOrPrefix) {
        IdPrefix prefix = IdPrefix.parse(idOrPrefix, "approval");
        if (prefix.isWholeId()) {
            return new ApprovalId(prefix.lowest().value());
        }
        int listed = MAX_CANDIDATES_LISTED;
        List<ApprovalId> candidates = store.findIdsByPrefix(prefix, listed + 1);
        if (candidates.isEmpty()) {
            throw ApprovalNotFoundException.forPrefix(prefix);
        }
        if (candidates.size() > 1) {
            String names = candidates.stream().limit(listed).map(ApprovalId::toString).collect(Collectors.joining(", "));
            throw new InvalidInputException("id", "the prefix " + prefix.text() + " is ambiguous: "
                    + (candidates.size() > listed ? "more than " + listed : candidates.size())
                    + " approval ids start with it (" + names + (candidates.size() > listed ? ", ..." : "")
                    + "); type more of it");
        }
        return candidates.get(0);
    }
}
