package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.tck.SessionsTck;

/**
 * The in-memory adapter against the kit every adapter passes: handles on one {@link InMemoryStorage},
 * so that the second handle is another writer, as another process on a database file would be.
 */
class InMemorySessionsTckTest extends SessionsTck {

    private InMemoryStorage storage;

    @Override
    protected Persistence openPersistence() {
        storage = new InMemoryStorage();
        return closeAfterwards(storage.open()).persistence();
    }

    @Override
    protected Persistence openSecondHandle() {
        return closeAfterwards(storage.open()).persistence();
    }
}
