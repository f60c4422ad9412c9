package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.NewTranscriptItem;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.TranscriptCompaction;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.util.List;
import java.util.Optional;

/**
 * Each session's conversation transcript: append-only JSON items, numbered 1, 2, 3... in append order,
 * read in windows. Kept beside the session rather than in its context, so that an append or a window
 * costs the same at the 10th item and at the 100,000th.
 *
 * <p>A number is never reused: after {@link #popLast} or {@link #clear} the next item takes the next
 * number, so a reader paging with {@link #after} never misses one; without pops there are no gaps.
 *
 * <p>Every write is atomic, fenced by the daemon's lease on the session like every other write (a
 * {@link io.claudesignal.sessions.domain.LeaseLostException} when it was lost), and told to listeners
 * ({@link SessionEvent.TranscriptChanged}) after it committed. Every method throws
 * {@link SessionNotFoundException} for an unknown session and may throw
 * {@link io.claudesignal.sessions.domain.StorageException} when the store itself fails.
 */
public interface Transcripts {

    /**
     * Appends one item, stored byte for byte as given (key order, number text, escapes).
     *
     * @param itemJson one JSON object, any shape (role, content, tool use...)
     * @throws InvalidInputException when it is not one JSON object, or is over the item limit
     *                               ({@link io.claudesignal.sessions.application.SessionsConfig#transcriptItemLimit()},
     *                               1 MiB by default)
     */
    TranscriptItem append(SessionId id, String itemJson);

    /**
     * As {@link #append(SessionId, String)}, idempotent per session and {@code key}: when the session
     * holds an item with that key, that item is returned and nothing is written. A daemon retrying
     * after a crash, or the same message delivered twice, appends once, also when both race.
     *
     * @throws InvalidInputException also for a blank or over-long key
     */
    TranscriptItem append(SessionId id, String itemJson, String key);

    /**
     * Appends the items in one atomic step, with consecutive numbers.
     *
     * @throws InvalidInputException when any of them is refused (then none is written)
     */
    List<TranscriptItem> appendAll(SessionId id, List<String> itemsJson);

    /**
     * Appends a batch in one atomic step, each item with its own idempotency key or none: the items
     * whose key the session already holds (or that repeat a key earlier in the batch) are skipped and
     * counted, the others are appended in the batch's order with consecutive numbers, all or none.
     * Two batches racing on one session never interleave.
     *
     * @throws InvalidInputException when any item or key is refused (then none is written); its
     *                               {@link InvalidInputException#field()} is {@code items[i]}, the
     *                               refused item's index from 0
     */
    AppendReport appendBatch(SessionId id, List<NewTranscriptItem> items);

    /**
     * Compaction: replaces the items numbered 1 to {@code throughSeq} by one summary item, in one
     * atomic step fenced like every write. The summary takes the number {@code throughSeq} (the
     * number of the last item it replaces, which no other item holds), so reading from the start
     * gives the summary, then the items after {@code throughSeq} with their numbers; a reader paging
     * with {@link #after} that had read past {@code throughSeq} never sees it, one that had not sees
     * it next, and no reader sees an item twice or misses a later one. The replaced items' bytes are
     * overwritten as for {@link #clear}, and their keys are free again. Compacting again through a
     * later number replaces the earlier summary too; repeating the same compaction replaces the
     * summary by the new one.
     *
     * @param summaryJson one JSON object within the item limit, stored byte for byte, without a key
     * @throws InvalidInputException when the summary is refused, or when no item is numbered
     *                               {@code throughSeq} or below, or {@code throughSeq} is past the
     *                               newest item
     */
    TranscriptCompaction compact(SessionId id, long throughSeq, String summaryJson);

    /**
     * The newest {@code limit} items, oldest first.
     *
     * @throws InvalidInputException when {@code limit} is not positive
     */
    List<TranscriptItem> tail(SessionId id, int limit);

    /**
     * The items numbered above {@code afterSeq}, oldest first, at most {@code limit}: forward paging,
     * {@code after(id, 0, n)} being the start and the last item's number the next page's {@code afterSeq}.
     *
     * @throws InvalidInputException when {@code afterSeq} is negative or {@code limit} not positive
     */
    List<TranscriptItem> after(SessionId id, long afterSeq, int limit);

    /** Removes and returns the newest item (undoing a turn); empty when there is none. */
    Optional<TranscriptItem> popLast(SessionId id);

    /**
     * Removes every item, their bytes overwritten as for a deleted session.
     *
     * @return how many were removed
     */
    long clear(SessionId id);

    /** How many items the session holds. */
    long count(SessionId id);

    /**
     * The items whose text (their string values, not keys or numbers) holds every word of
     * {@code query.text()}, newest first (in the order they were stored: an item a fork copied counts
     * as stored at the fork), a page at a time, each with a snippet that marks the words. The text is
     * taken literally, whatever it holds (quotes, operators of a search syntax): only its words count,
     * and a text without any word matches nothing. See docs/transcript.md.
     *
     * @throws InvalidInputException    for a cursor that no search returned
     * @throws SessionNotFoundException when the query names a session that does not exist
     */
    TranscriptMatches search(TranscriptQuery query);
}
