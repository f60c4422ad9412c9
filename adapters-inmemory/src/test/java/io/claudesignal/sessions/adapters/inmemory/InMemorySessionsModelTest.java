package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.application.port.out.StorageAdapter;
import io.claudesignal.sessions.tck.SessionsModelProperties;

/** The in-memory adapter against the model of the rules (random scripts, every answer compared). */
class InMemorySessionsModelTest extends SessionsModelProperties {

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
