package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.tck.TranscriptContract;
import io.claudesignal.sessions.application.port.out.Persistence;

/** The in-memory adapter against the transcript contract every adapter passes. */
class InMemoryTranscriptTest extends TranscriptContract {

    @Override
    protected Persistence openRepository() {
        return new InMemorySessionRepository().persistence();
    }
}
