package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import io.claudesignal.sessions.tck.SessionsTck;

/**
 * The in-memory adapter against the kit every adapter passes: handles on one {@link InMemoryStorage},
 * so that the second handle is another writer, as another process on a database file would be.
 */
class InMemorySessionsTckTest extends SessionsTck {

    private InMemoryStorage storage;
    private InMemoryStorage.Handle first;
    private InMemoryStorage.Handle second;

    @Override
    protected Persistence openPersistence() {
        storage = new InMemoryStorage();
        first = closeAfterwards(storage.open());
        second = null;
        return first.persistence();
    }

    @Override
    protected Persistence openSecondHandle() {
        second = closeAfterwards(storage.open());
        return second.persistence();
    }

    @Override
    protected StoreOperations operations() {
        return first.operations();
    }

    @Override
    protected StoreOperations secondOperations() {
        return (second != null ? second : first).operations();
    }
}
