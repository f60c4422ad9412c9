package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.application.port.out.StorageAdapter;
import io.claudesignal.sessions.tck.SessionsTck;

/**
 * The in-memory adapter against the kit every adapter passes: handles on one {@link InMemoryStorage},
 * so that the second handle is another writer, as another process on a database file would be.
 */
class InMemorySessionsTckTest extends SessionsTck {

    private InMemoryStorage storage;

    @Override
    protected StorageAdapter openStorage() {
        storage = new InMemoryStorage();
        return storage.open();
    }

    @Override
    protected StorageAdapter openSecondHandle() {
        return storage.open();
    }
}
