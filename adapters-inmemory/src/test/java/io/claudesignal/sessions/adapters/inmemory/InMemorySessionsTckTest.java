package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.tck.SessionsTck;

/** The in-memory adapter against the kit every adapter passes. */
class InMemorySessionsTckTest extends SessionsTck {

    @Override
    protected Persistence openPersistence() {
        return new InMemorySessionRepository().persistence();
    }
}
