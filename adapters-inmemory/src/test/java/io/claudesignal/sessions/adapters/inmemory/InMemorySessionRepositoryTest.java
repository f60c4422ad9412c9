package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.application.contract.SessionRepositoryContract;
import io.claudesignal.sessions.application.port.out.SessionRepository;

/** The in-memory adapter against the contract every adapter passes. */
class InMemorySessionRepositoryTest extends SessionRepositoryContract {

    @Override
    protected SessionRepository openRepository() {
        return new InMemorySessionRepository();
    }
}
