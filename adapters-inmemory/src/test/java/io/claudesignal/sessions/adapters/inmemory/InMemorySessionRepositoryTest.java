package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.application.contract.SessionRepositoryContract;
import io.claudesignal.sessions.application.port.out.Persistence;

/** The in-memory adapter against the contract every adapter passes. */
class InMemorySessionRepositoryTest extends SessionRepositoryContract {

    @Override
    protected Persistence openRepository() {
        return new InMemorySessionRepository().persistence();
    }
}
