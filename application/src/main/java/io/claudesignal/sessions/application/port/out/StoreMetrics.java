package io.claudesignal.sessions.application.port.out;

import java.time.Duration;

/**
 * What the store tells an operator's metrics: the application and the adapters report here, and an
 * embedder who wants numbers plugs in an implementation (the bootstrap module has one over
 * Micrometer, loaded only when a registry is given). No metrics library's types appear here, so
 * nothing of one is needed by an embedder who wants none. Every method must be cheap and must not
 * throw; all do nothing by default.
 */
public interface StoreMetrics {

    /** Reports nothing: the default. */
    StoreMetrics NONE = new StoreMetrics() {
    };

    /**
     * One call of the API ended.
     *
     * @param kind    the operation, as the API names it ({@code create}, {@code transition}, {@code append}, ...)
     * @param outcome {@code ok}, {@code not_found}, {@code conflict}, {@code invalid_input}, {@code storage}
     *                or {@code error} (the same words as the CLI's error types)
     */
    default void operation(String kind, String outcome, Duration took) {
    }

    /** A write was refused by a conflict of {@code type} ({@code status_mismatch}, {@code stale_version}, ...). */
    default void conflict(String type) {
    }

    /** A crash recovery made {@code sessions} sessions PAUSED (0 when there was nothing to recover). */
    default void recovered(int sessions) {
    }

    /** A daemon found a lease of its own lost: a write was fenced off, or a renewal failed. */
    default void leaseLost() {
    }

    /** A writer waited {@code waited} for the database's write lock (another process held it). */
    default void lockWait(Duration waited) {
    }

    /** A statement found the database busy (locked by another process) and was run again. */
    default void busyRetry() {
    }

    /** One group-commit transaction committed {@code works} callers' writes together. */
    default void groupCommit(int works) {
    }

    /** A purge removed {@code sessions} sessions. */
    default void purged(long sessions) {
    }

    /** An import wrote {@code sessions} sessions (those already present unchanged are not counted). */
    default void imported(long sessions) {
    }

    /**
     * Once, when a store is assembled: how to read its queues' depths (the approvals waiting for a
     * decision, the inbox and the outbox) when the metrics are read. Each reading asks the store (one
     * query); it returns {@code NaN} rather than throwing once the store is closed or failing. A
     * registry reads them when it is scraped, not on every write.
     */
    default void queues(QueueDepths depths) {
    }

    /** The queues' depths, read on demand. */
    interface QueueDepths {
        /** Approvals that wait for a decision now, in every session. */
        double pendingApprovals();

        /** Messages waiting in every session's inbox, not yet taken. */
        double waitingMessages();

        /** Replies not yet sent and not dead (pending or claimed). */
        double unsentReplies();

        /** Replies out of attempts, kept until someone retries them. */
        double deadReplies();
    }
}
