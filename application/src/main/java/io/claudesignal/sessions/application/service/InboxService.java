package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.application.port.in.Inbox;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.InboxRepository;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.TranscriptItem;
import io.claudesignal.sessions.domain.Transition;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The use cases of {@link Inbox}: input checked here, before the store is touched; the writes go through
 * the handle's {@link HandleContext}, fenced by its leases and told to its listeners in order.
 */
final class InboxService implements Inbox {

    private final HandleContext handle;
    private final InboxRepository store;
    private final ContextJson json;

    InboxService(HandleContext handle, InboxRepository store, ContextJson json) {
        this.handle = handle;
        this.store = store;
        this.json = json;
    }

    @Override
    public InboxMessage receive(SessionId id, String messageJson, String key) {
        Objects.requireNonNull(id, "id");
        TranscriptItem.validateKey(key);
        json.requireObject("message", messageJson, handle.config().transcriptItemLimit());
        int limit = handle.config().messages().inboxLimit();
        // A message whose key was stored already changed nothing: there is nothing to tell.
        return handle.write(handle.leases().write(id, Transition.USER), w -> store.receive(id, messageJson, key, limit, w),
                received -> received.written()
                        ? List.of(new SessionEvent.MessageReceived(received.message(), handle.config().actor()))
                        : List.<SessionEvent>of()).message();
    }

    @Override
    public Optional<InboxMessage> next(SessionId id) {
        Objects.requireNonNull(id, "id");
        return handle.write(handle.leases().write(id, Transition.USER), w -> store.next(id, w), taken -> List.of());
    }

    @Override
    public InboxMessage done(SessionId id, long seq) {
        Objects.requireNonNull(id, "id");
        if (seq < 1) {
            throw new InvalidInputException("seq", "must be positive, was " + seq);
        }
        return handle.write(handle.leases().write(id, Transition.USER), w -> store.done(id, seq, w), done -> List.of());
    }

    @Override
    public Optional<InboxMessage> find(SessionId id, long seq) {
        return store.find(Objects.requireNonNull(id, "id"), seq);
    }

    @Override
    public List<InboxMessage> list(SessionId id, boolean withDone, int limit) {
        Objects.requireNonNull(id, "id");
        if (limit < 1) {
            throw new InvalidInputException("limit", "must be positive, was " + limit);
        }
        return store.list(id, withDone, limit);
    }
}
