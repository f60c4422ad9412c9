package io.claudesignal.sessions.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.adapters.inmemory.InMemoryStorage;
import io.claudesignal.sessions.application.MessagesConfig;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.SessionId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The queue gauges: read from the store when scraped, NaN once it is closed, never an exception. */
class QueueMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    @Test
    void theGaugesShowWaitingMessagesUnsentAndDeadReplies() {
        SessionsConfig oneAttempt = SessionsConfig.cli()
                .withMessages(MessagesConfig.DEFAULTS.withRetries(1, Duration.ZERO, Duration.ZERO));
        SessionStore store = SessionStore.inMemory(new InMemoryStorage(), oneAttempt, registry);
        try (store) {
            SessionId id = store.sessions().create("/home/ana/code/webapp", "+15551234567").id();
            store.inbox().receive(id, "{\"text\":\"one\"}", "m1");
            store.inbox().receive(id, "{\"text\":\"two\"}", "m2");
            Reply first = store.outbox().enqueue(id, "{\"text\":\"a\"}", "r1");
            store.outbox().enqueue(id, "{\"text\":\"b\"}", "r2");
            assertThat(gauge(MicrometerStoreMetrics.INBOX_WAITING)).isEqualTo(2);
            assertThat(gauge(MicrometerStoreMetrics.OUTBOX_UNSENT)).isEqualTo(2);
            assertThat(gauge(MicrometerStoreMetrics.OUTBOX_DEAD)).isZero();

            store.outbox().claim(5, Duration.ofMinutes(1));
            store.outbox().failed(first.id(), "unreachable");
            assertThat(gauge(MicrometerStoreMetrics.OUTBOX_UNSENT)).isEqualTo(1);
            assertThat(gauge(MicrometerStoreMetrics.OUTBOX_DEAD)).isEqualTo(1);
            assertThat(registry.get(MicrometerStoreMetrics.OPERATIONS).tag("kind", "receive").timer().count()).isEqualTo(2);
        }
        assertThat(gauge(MicrometerStoreMetrics.INBOX_WAITING)).isNaN();
    }
}
