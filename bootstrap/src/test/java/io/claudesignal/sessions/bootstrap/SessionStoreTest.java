package io.claudesignal.sessions.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionStatus;
import org.junit.jupiter.api.Test;

class SessionStoreTest {

    @Test
    void theInMemoryStoreWorksAsTheReadmeShows() {
        // Keep in step with the README's embedding example.
        try (SessionStore store = SessionStore.inMemory()) {
            Sessions sessions = store.sessions();
            Session s = sessions.create("/home/ana/code/webapp", "+15551234567");
            sessions.activate(s.id());
            sessions.mergeContext(s.id(), "{\"conversation_history\": {\"turns\": []}}");
            Session paused = sessions.pause(s.id());

            assertThat(paused.status()).isEqualTo(SessionStatus.PAUSED);
            assertThat(paused.version()).isEqualTo(4);
            assertThat(sessions.list(SessionQuery.all().withStatus(SessionStatus.PAUSED)).sessions()).hasSize(1);
            assertThat(store.maintenance().check().ok()).isTrue();
        }
    }

    @Test
    void closingTwiceIsHarmless() {
        SessionStore store = SessionStore.inMemory();
        store.close();
        store.close();
    }
}
