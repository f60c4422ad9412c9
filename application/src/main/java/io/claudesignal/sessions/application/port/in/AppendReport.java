package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.TranscriptItem;
import java.util.List;
import java.util.Optional;

/**
 * What {@link Transcripts#appendBatch} did: the items it appended (consecutive numbers, in the
 * batch's order) and how many it skipped because their key was already in the session or earlier in
 * the batch.
 */
public record AppendReport(List<TranscriptItem> appended, long skipped) {

    public AppendReport {
        appended = List.copyOf(appended);
    }

    /** The number of the first item appended, if any was. */
    public Optional<Long> first() {
        return appended.isEmpty() ? Optional.empty() : Optional.of(appended.get(0).seq());
    }

    /** The number of the last item appended, if any was. */
    public Optional<Long> last() {
        return appended.isEmpty() ? Optional.empty() : Optional.of(appended.get(appended.size() - 1).seq());
    }
}
