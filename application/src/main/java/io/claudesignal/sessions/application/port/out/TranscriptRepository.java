package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.NewTranscriptItem;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.TranscriptCompaction;
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
     * Appends, in one atomic step and with consecutive numbers, those of {@code items} (validated, with
     * distinct keys) whose key the session does not hold yet, and every item without a key. Writes
     * nothing, and records no change, when every item was skipped.
     *
     * @return the items appended ({@code written} false when none was)
     * @throws SessionNotFoundException when there is no such session
     * @throws LeaseLostException       when {@code write} is fenced and the lease no longer holds
     */
    Appended appendAbsent(SessionId id, List<NewTranscriptItem> items, WriteContext write);

    /**
     * Replaces the items numbered up to {@code throughSeq} by one item, {@code summaryJson} without a
     * key, numbered {@code throughSeq}, in one atomic step (the store overwrites the removed bytes where
     * it can); records one transcript change of 1 appended (ref {@code throughSeq}) and the removed
     * count, which a reader of the change log tells apart from an append as a compaction.
     *
     * @throws io.claudesignal.sessions.domain.InvalidInputException when no item is numbered
     *         {@code throughSeq} or below, or {@code throughSeq} is past the newest item
     * @throws SessionNotFoundException when there is no such session
     * @throws LeaseLostException       when {@code write} is fenced and the lease no longer holds
     */
    TranscriptCompaction compact(SessionId id, long throughSeq, String summaryJson, WriteContext write);

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
