package io.claudesignal.sessions.domain;

import java.util.Objects;

/**
 * What a compaction did: the summary item now standing for the items up to its number
 * ({@code summary.seq()} is the compaction's {@code throughSeq}), and how many items it replaced.
 */
public record TranscriptCompaction(TranscriptItem summary, long removed) {

    public TranscriptCompaction {
        Objects.requireNonNull(summary, "summary");
    }
}
