package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.ApprovalId;
import io.claudesignal.sessions.domain.IdPrefix;
import io.claudesignal.sessions.domain.SessionId;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@link ApprovalRepository#unsupported()}: for stores built from the other ports alone. */
enum UnsupportedApprovals implements ApprovalRepository {
    INSTANCE;

    private static UnsupportedOperationException refused() {
        return new UnsupportedOperationException("this store keeps no approvals");
    }

    @Override
    public Requested request(ApprovalId id, SessionId sessionId, String request, String key, Duration timeout,
            WriteContext write, Clock clock) {
        throw refused();
    }

    @Override
    public Decided decide(ApprovalId id, Approval.Decision decision, Actor actor, Optional<String> note,
            WriteContext write, Clock clock) {
        throw refused();
    }

    @Override
    public Optional<Approval> find(ApprovalId id, Clock clock) {
        throw refused();
    }

    @Override
    public Optional<Approval> findBySeq(SessionId sessionId, long seq, Clock clock) {
        throw refused();
    }

    @Override
    public List<Approval> pending(Optional<SessionId> sessionId, Clock clock) {
        throw refused();
    }

    @Override
    public List<Approval> all(SessionId sessionId, Clock clock) {
        throw refused();
    }

    @Override
    public List<Approval> recent(int limit, Clock clock) {
        throw refused();
    }

    @Override
    public List<ApprovalId> findIdsByPrefix(IdPrefix prefix, int limit) {
        throw refused();
    }
}
