package io.claudesignal.sessions.application.port.out;

/**
 * One open storage, as every adapter hands it over: the ports the use cases run on, the checks of
 * {@code sessions check}, the store operations, and what to release. This is all the bootstrap (its
 * {@code SessionStore}, its Guice modules) and the TCK ask of an adapter, so a new adapter implements
 * this once instead of being named in each of them. Open one through the adapter's own
 * {@code open(…)} or, by location, through its {@link StorageFactory}.
 */
public interface StorageAdapter extends AutoCloseable {

    /** The sessions, leases, activity-log, transcript and change-feed ports over this storage. */
    Persistence persistence();

    StorageDiagnostics diagnostics();

    /** Pinning, purge, export and import, sizes and backup (refused where the storage has none). */
    StoreOperations operations();

    /**
     * Releases the connections, threads and locks held for this handle; other handles on the same
     * storage are unaffected. Unlike {@link AutoCloseable#close()} it throws nothing checked, so a
     * store can close it from any path.
     */
    @Override
    void close();
}
