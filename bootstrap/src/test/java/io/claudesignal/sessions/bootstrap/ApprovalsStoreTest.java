package io.claudesignal.sessions.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.adapters.inmemory.InMemoryStorage;
import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.ApprovalConflictException;
import io.claudesignal.sessions.domain.Session;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approvals through {@link SessionStore}: a pending one outlives the store that asked (a daemon's
 * restart), the configured timeout applies, and the pending-approvals gauge and the operation meters
 * count them.
 */
class ApprovalsStoreTest {

    @Test
    void aPendingApprovalOutlivesTheStoreThatAskedAndIsDecidedByTheNext(@TempDir Path dir) {
        Path file = dir.resolve("sessions.db");
        Approval asked;
        SessionsConfig daemon = SessionsConfig.daemon("webapp").withApprovalTimeout(Duration.ofMinutes(3));
        try (SessionStore store = SessionStore.openSqlite(file, SqliteSettings.defaults(), daemon)) {
            Session s = store.sessions().activate(store.sessions().create("/home/ana/code/webapp", "+15551234567").id());
            asked = store.approvals().request(s.id(), "{\"tool\": \"Bash\"}", "toolu_01");
            assertThat(Duration.between(asked.requestedAt(), asked.expiresAt())).isEqualTo(Duration.ofMinutes(3));
        }
        try (SessionStore cli = SessionStore.openSqlite(file, SqliteSettings.defaults(), SessionsConfig.cli())) {
            assertThat(cli.approvals().pending()).containsExactly(asked);
            Approval approved = cli.approvals().decide(asked.id(), Approval.Decision.APPROVE, Actor.CLI, "ok");
            assertThat(approved.state()).isEqualTo(Approval.State.APPROVED);
            assertThatThrownBy(() -> cli.approvals().decide(asked.id(), Approval.Decision.REJECT, Actor.CLI))
                    .isInstanceOf(ApprovalConflictException.class).hasMessageContaining("APPROVED");
        }
    }

    @Test
    void theGaugeCountsPendingApprovalsAndTheCallsAreMeasured() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SessionStore store = SessionStore.inMemory(new InMemoryStorage(), SessionsConfig.cli(), registry)) {
            Session s = store.sessions().activate(store.sessions().create("/home/ana/code/webapp", "+15551234567").id());
            Approval first = store.approvals().request(s.id(), "{}", "a");
            store.approvals().request(s.id(), "{}", "b");
            assertThat(registry.get(MicrometerStoreMetrics.APPROVALS_PENDING).gauge().value()).isEqualTo(2.0);
            store.approvals().decide(first.id(), Approval.Decision.REJECT, Actor.CLI);
            assertThat(registry.get(MicrometerStoreMetrics.APPROVALS_PENDING).gauge().value()).isEqualTo(1.0);
            store.sessions().pause(s.id());
            assertThat(registry.get(MicrometerStoreMetrics.APPROVALS_PENDING).gauge().value()).isZero();
            assertThatThrownBy(() -> store.approvals().decide(first.id(), Approval.Decision.APPROVE, Actor.CLI))
                    .isInstanceOf(ApprovalConflictException.class);
        }
        assertThat(registry.get(MicrometerStoreMetrics.OPERATIONS).tag("kind", "request_approval").tag("outcome", "ok")
                .timer().count()).isEqualTo(2);
        assertThat(registry.get(MicrometerStoreMetrics.CONFLICTS).tag("type", "approval_decided").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(MicrometerStoreMetrics.APPROVALS_PENDING).gauge().value()).as("closed").isNaN();
    }
}
