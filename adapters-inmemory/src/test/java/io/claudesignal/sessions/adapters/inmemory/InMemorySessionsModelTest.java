package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.tck.SessionsModelProperties;

/** The in-memory adapter against the model of the rules (random scripts, every answer compared). */
class InMemorySessionsModelTest extends SessionsModelProperties {

    @Override
    protected Persistence openPersistence() {
        return new InMemorySessionRepository().persistence();
    }
}
