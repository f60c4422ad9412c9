package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import io.claudesignal.sessions.tck.SessionsTck;

/** The in-memory adapter against the kit every adapter passes. */
class InMemorySessionsTckTest extends SessionsTck {

    private InMemorySessionRepository store;

    @Override
    protected Persistence openPersistence() {
        store = new InMemorySessionRepository();
        return store.persistence();
    }

    @Override
    protected StoreOperations operations() {
        return new InMemoryOperations(store);
    }
}
