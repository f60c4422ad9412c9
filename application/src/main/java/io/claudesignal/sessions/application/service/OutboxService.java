package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.application.port.in.Outbox;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.OutboxRepository;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.TranscriptItem;
import io.claudesignal.sessions.domain.Transition;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The use cases of {@link Outbox}. An enqueue is a write to its session (fenced, told in order); a
 * sender's claim, report and a retry concern replies, not a session's state, so they are not fenced
 * by a session's lease: the reply's own state, checked in the statement that changes it, guards them.
 */
final class OutboxService implements Outbox {

    /** Longest claim: a sender that needs longer should claim fewer. */
    static final Duration MAX_LEASE = Duration.ofHours(1);
    static final int MAX_CLAIM = 1000;

    private final HandleContext handle;
    private final OutboxRepository store;
    private final ContextJson json;

    OutboxService(HandleContext handle, OutboxRepository store, ContextJson json) {
        this.handle = handle;
        this.store = store;
        this.json = json;
    }

    @Override
    public Reply enqueue(SessionId id, String replyJson, String key) {
        Objects.requireNonNull(id, "id");
        TranscriptItem.validateKey(key);
        json.requireObject("reply", replyJson, handle.config().transcriptItemLimit());
        return handle.write(handle.leases().write(id, Transition.USER), w -> store.enqueue(id, replyJson, key, w),
                queued -> queued.written()
                        ? List.of(new SessionEvent.ReplyQueued(queued.reply(), handle.config().actor()))
                        : List.<SessionEvent>of()).reply();
    }

    @Override
    public List<Reply> claim(int limit, Duration leaseTime) {
        if (limit < 1 || limit > MAX_CLAIM) {
            throw new InvalidInputException("limit", "must be 1 to " + MAX_CLAIM + ", was " + limit);
        }
        Objects.requireNonNull(leaseTime, "leaseTime");
        if (leaseTime.toMillis() < 1 || leaseTime.compareTo(MAX_LEASE) > 0) {
            throw new InvalidInputException("leaseTime", "must be 1 ms to " + MAX_LEASE + ", was " + leaseTime);
        }
        return store.claim(limit, leaseTime, handle.clock());
    }

    @Override
    public Reply sent(long replyId) {
        return store.sent(requireId(replyId), handle.clock());
    }

    @Override
    public Reply failed(long replyId, String error) {
        return store.failed(requireId(replyId), Reply.errorText(error), handle.config().messages().retries(),
                handle.clock());
    }

    @Override
    public Reply retry(long replyId) {
        return store.retry(requireId(replyId), handle.clock());
    }

    @Override
    public Optional<Reply> find(long replyId) {
        return store.find(requireId(replyId));
    }

    @Override
    public List<Reply> list(Optional<SessionId> session, boolean deadOnly, int limit) {
        Objects.requireNonNull(session, "session");
        if (limit < 1) {
            throw new InvalidInputException("limit", "must be positive, was " + limit);
        }
        return store.list(session, deadOnly, limit);
    }

    private static long requireId(long replyId) {
        if (replyId < 1) {
            throw new InvalidInputException("replyId", "must be positive, was " + replyId);
        }
        return replyId;
    }
}
