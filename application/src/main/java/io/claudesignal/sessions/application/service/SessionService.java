package io.claudesignal.sessions.application.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claudesignal.sessions.application.port.in.SessionPage;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.port.out.PageCursor;
import io.claudesignal.sessions.application.port.out.PageRequest;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.SessionRepository;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.StaleVersionException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The use cases of {@link Sessions} over any {@link SessionRepository}. */
public final class SessionService implements Sessions {

    private final SessionRepository repository;
    private final Clock clock;
    private final SessionIdGenerator ids;
    private final ContextJson json;

    public SessionService(SessionRepository repository, Clock clock, SessionIdGenerator ids, ContextJson json) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.json = Objects.requireNonNull(json, "json");
    }

    @Override
    public Session create(String projectPath, String threadId) {
        Session session = Session.create(ids.next(), projectPath, threadId, now());
        repository.insert(session);
        return session;
    }

    @Override
    public Optional<Session> find(SessionId id) {
        return repository.findById(Objects.requireNonNull(id, "id"));
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
        Objects.requireNonNull(id, "id");
        Session.checkTransition(id, expected, target);
        return repository.compareAndSetStatus(id, expected, target, now());
    }

    @Override
    public Session transition(SessionId id, SessionStatus target) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        Instant now = now();
        return repository.update(id, current -> current.transitionTo(target, now));
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
        Instant now = now();
        return repository.update(id, current -> {
            if (expectedVersion.isPresent() && expectedVersion.get() != current.version()) {
                throw new StaleVersionException(id, expectedVersion.get(), current.version());
            }
            String merged = json.merge(current.context(), patch);
            return merged == current.context() ? current : current.withContext(merged, now);
        });
    }

    @Override
    public void delete(SessionId id) {
        repository.delete(Objects.requireNonNull(id, "id"), SessionStatus.TERMINATED);
    }

    private Instant now() {
        return clock.instant();
    }
}
