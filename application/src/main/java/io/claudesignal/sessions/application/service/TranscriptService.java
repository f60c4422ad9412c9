package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.application.port.in.AppendReport;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.in.TranscriptMatch;
import io.claudesignal.sessions.application.port.in.TranscriptMatches;
import io.claudesignal.sessions.application.port.in.TranscriptQuery;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SearchRequest;
import io.claudesignal.sessions.application.port.out.SearchText;
import io.claudesignal.sessions.application.port.out.TranscriptRepository;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.NewTranscriptItem;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.TranscriptCompaction;
import io.claudesignal.sessions.domain.TranscriptItem;
import io.claudesignal.sessions.domain.Transition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The use cases of {@link Transcripts}: validation here, before the store is touched; the writes go
 * through the handle's {@link HandleContext}, so that they are fenced by the leases the handle holds
 * and told to its listeners in order with its other writes.
 */
final class TranscriptService implements Transcripts {

    private final HandleContext handle;
    private final LeaseKeeper fencing;
    private final TranscriptRepository store;
    private final ContextJson json;
    private final int itemLimit;

    TranscriptService(HandleContext handle, TranscriptRepository store, ContextJson json) {
        this.handle = handle;
        this.fencing = handle.leases();
        this.store = store;
        this.json = json;
        this.itemLimit = handle.config().transcriptItemLimit();
    }

    @Override
    public TranscriptItem append(SessionId id, String itemJson) {
        requireItem(itemJson);
        return appendChecked(id, List.of(itemJson), Optional.empty()).get(0);
    }

    @Override
    public TranscriptItem append(SessionId id, String itemJson, String key) {
        TranscriptItem.validateKey(key);
        requireItem(itemJson);
        return appendChecked(id, List.of(itemJson), Optional.of(key)).get(0);
    }

    @Override
    public List<TranscriptItem> appendAll(SessionId id, List<String> itemsJson) {
        Objects.requireNonNull(itemsJson, "itemsJson");
        itemsJson.forEach(this::requireItem);
        if (itemsJson.isEmpty()) {
            Objects.requireNonNull(id, "id");
            count(id); // an unknown session is refused, even with nothing to append
            return List.of();
        }
        return appendChecked(id, itemsJson, Optional.empty());
    }

    @Override
    public AppendReport appendBatch(SessionId id, List<NewTranscriptItem> items) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(items, "items");
        // Checked before the store is touched; a later repeat of a key in the batch is a skip, as a
        // repeat of a stored key is.
        List<NewTranscriptItem> distinct = new ArrayList<>(items.size());
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            NewTranscriptItem item = items.get(i);
            String field = "items[" + i + "]";
            if (item == null) {
                throw new InvalidInputException(field, "is null");
            }
            try {
                item.key().ifPresent(TranscriptItem::validateKey);
                requireItem(item.json());
            } catch (InvalidInputException e) {
                throw new InvalidInputException(field, e.getMessage());
            }
            if (item.key().isEmpty() || keys.add(item.key().get())) {
                distinct.add(item);
            }
        }
        if (distinct.isEmpty()) {
            count(id); // an unknown session is refused, even with nothing to append
            return new AppendReport(List.of(), items.size());
        }
        TranscriptRepository.Appended appended = handle.write(fencing.write(id, Transition.USER),
                w -> store.appendAbsent(id, List.copyOf(distinct), w),
                done -> done.written()
                        ? List.of(new SessionEvent.TranscriptChanged(id, done.items(), 0, handle.config().actor()))
                        : List.of());
        return new AppendReport(appended.items(), items.size() - appended.items().size());
    }

    @Override
    public TranscriptCompaction compact(SessionId id, long throughSeq, String summaryJson) {
        Objects.requireNonNull(id, "id");
        if (throughSeq < 1) {
            throw new InvalidInputException("throughSeq", "must be at least 1, was " + throughSeq);
        }
        json.requireObject("summary", summaryJson, itemLimit);
        return handle.write(fencing.write(id, Transition.USER), w -> store.compact(id, throughSeq, summaryJson, w),
                done -> List.of(new SessionEvent.TranscriptCompacted(id, throughSeq, Optional.of(done.summary()),
                        done.removed(), handle.config().actor())));
    }

    private List<TranscriptItem> appendChecked(SessionId id, List<String> items, Optional<String> key) {
        Objects.requireNonNull(id, "id");
        // An idempotent append that found its key changed nothing: there is nothing to tell.
        return handle.write(fencing.write(id, Transition.USER), w -> store.append(id, List.copyOf(items), key, w),
                appended -> appended.written()
                        ? List.of(new SessionEvent.TranscriptChanged(id, appended.items(), 0, handle.config().actor()))
                        : List.of()).items();
    }

    @Override
    public List<TranscriptItem> tail(SessionId id, int limit) {
        Objects.requireNonNull(id, "id");
        requirePositive(limit);
        return store.tail(id, limit);
    }

    @Override
    public List<TranscriptItem> after(SessionId id, long afterSeq, int limit) {
        Objects.requireNonNull(id, "id");
        if (afterSeq < 0) {
            throw new InvalidInputException("afterSeq", "must not be negative, was " + afterSeq);
        }
        requirePositive(limit);
        return store.after(id, afterSeq, limit);
    }

    @Override
    public Optional<TranscriptItem> popLast(SessionId id) {
        Objects.requireNonNull(id, "id");
        return handle.write(fencing.write(id, Transition.USER), w -> store.popLast(id, w),
                popped -> popped.<List<SessionEvent>>map(item -> List.of(
                        new SessionEvent.TranscriptChanged(id, List.of(), 1, handle.config().actor()))).orElse(List.of()));
    }

    @Override
    public long clear(SessionId id) {
        Objects.requireNonNull(id, "id");
        return handle.write(fencing.write(id, Transition.USER), w -> store.clear(id, w),
                removed -> removed > 0
                        ? List.of(new SessionEvent.TranscriptChanged(id, List.of(), removed, handle.config().actor()))
                        : List.<SessionEvent>of());
    }

    @Override
    public long count(SessionId id) {
        return store.count(Objects.requireNonNull(id, "id"));
    }

    @Override
    public TranscriptMatches search(TranscriptQuery query) {
        Objects.requireNonNull(query, "query");
        Optional<Long> before = query.cursor().map(SearchRequest::position);
        List<String> words = SearchText.words(query.text());
        if (words.isEmpty()) { // nothing but punctuation: taken literally, it matches no word
            query.sessionId().ifPresent(this::count); // an unknown session is still refused
            return new TranscriptMatches(List.of(), Optional.empty());
        }
        // One more than a page, to know whether another follows without handing out an empty one.
        List<SearchRequest.Hit> hits = store.search(new SearchRequest(words, query.sessionId(), query.statuses(),
                query.since(), query.until(), before, query.limit() + 1));
        List<SearchRequest.Hit> page = hits.subList(0, Math.min(query.limit(), hits.size()));
        List<TranscriptMatch> matches = page.stream()
                .map(hit -> new TranscriptMatch(hit.item().sessionId(), hit.item().seq(), hit.item().at(),
                        Snippets.snippet(SearchText.of(hit.item().json()), words)))
                .toList();
        return new TranscriptMatches(matches, hits.size() > query.limit()
                ? Optional.of(SearchRequest.cursor(page.get(page.size() - 1).position()))
                : Optional.empty());
    }

    // Checked, not rewritten: the item is stored as the caller wrote it. Before the store is touched.
    private void requireItem(String item) {
        json.requireObject("item", item, itemLimit);
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new InvalidInputException("limit", "must be positive, was " + limit);
        }
    }
}
