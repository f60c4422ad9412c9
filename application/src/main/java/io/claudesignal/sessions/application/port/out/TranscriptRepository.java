package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.util.List;
import java.util.Optional;

/**
 * Where each session's conversation transcript is kept: one row per item beside the session, never
 * inside its context, numbered by a per-session counter that only goes up. Every method is one atomic
 * step; appending and reading a window cost index seeks only, whatever the transcript's length.
 */
public interface TranscriptRepository {

    /**
     * Appends {@code itemsJson} (validated JSON objects, stored as given) with consecutive numbers
     * after the highest ever handed out in the session, in one atomic step.
     *
     * <p>With a {@code key} (only for a single item): when the session already holds an item with that
     * key, that item is returned and nothing is written, also when two callers race with the same key.
     *
     * @return the items as stored (with a key, the one item: the new one or the existing one)
     * @throws SessionNotFoundException when there is no such session
     * @throws LeaseLostException       when {@code write} is fenced and the lease no longer holds
     */
    Appended append(SessionId id, List<String> itemsJson, Optional<String> key, WriteContext write);

    /**
     * The newest {@code limit} items, oldest first.
     *
     * @throws SessionNotFoundException when there is no such session
     */
    List<TranscriptItem> tail(SessionId id, int limit);

    /**
     * The items numbered above {@code afterSeq}, oldest first, at most {@code limit}.
     *
     * @throws SessionNotFoundException when there is no such session
     */
    List<TranscriptItem> after(SessionId id, long afterSeq, int limit);

    /**
     * Removes the newest item and returns it; its number is not handed out again.
     *
     * @throws SessionNotFoundException when there is no such session
     * @throws LeaseLostException       when {@code write} is fenced and the lease no longer holds
     */
    Optional<TranscriptItem> popLast(SessionId id, WriteContext write);

    /**
     * Removes every item (the store overwrites their bytes where it can); numbers go on from where
     * they were.
     *
     * @return how many were removed
     * @throws SessionNotFoundException when there is no such session
     * @throws LeaseLostException       when {@code write} is fenced and the lease no longer holds
     */
    long clear(SessionId id, WriteContext write);

    /**
     * How many items the session holds.
     *
     * @throws SessionNotFoundException when there is no such session
     */
    long count(SessionId id);

    /**
     * One page of a search ({@link SearchRequest}): the matching items, highest position first.
     *
     * @throws SessionNotFoundException when the request names a session that does not exist
     */
    List<SearchRequest.Hit> search(SearchRequest request);

    /**
     * What an append stored: {@code items}, and whether it wrote them ({@code false} when a keyed
     * append found its key and returns the item stored earlier).
     */
    record Appended(List<TranscriptItem> items, boolean written) {
        public Appended {
            items = List.copyOf(items);
        }
    }
}
