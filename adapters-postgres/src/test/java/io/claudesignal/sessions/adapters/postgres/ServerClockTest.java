package io.claudesignal.sessions.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.LeaseHeldException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lease time on PostgreSQL is the server's: daemons whose clocks are a minute off, in either
 * direction, neither take a live lease nor lose their own.
 */
@ExtendWith(PostgresServer.class)
class ServerClockTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration SKEW = Duration.ofSeconds(60);

    private final String schema = PostgresServer.freshSchema();

    @AfterEach
    void dropSchema() throws Exception {
        PostgresServer.dropSchema(schema);
    }

    private PostgresStorage open() {
        return PostgresStorage.open(PostgresServer.url(), PostgresSettings.defaults().withSchema(schema).withMaxPoolSize(2));
    }

    private static SessionService daemon(PostgresStorage storage, String name, Clock clock) {
        return new SessionService(storage.persistence(), clock, SessionIdGenerator.random(), new ContextJson(),
                new SessionsConfig(Actor.daemon(name), LEASE, Duration.ofSeconds(10), SessionsConfig.DEFAULT_ACTIVITY_LIMIT));
    }

    @Test
    void aDaemonWhoseClockRunsAheadNeverTakesALiveLease() {
        try (PostgresStorage first = open(); PostgresStorage second = open()) {
            SessionService owner = daemon(first, "owner", Clock.systemUTC());
            SessionService ahead = daemon(second, "ahead", Clock.offset(Clock.systemUTC(), SKEW));
            Session s = owner.activate(owner.create("/home/ana/code/webapp", "+1555").id());
            Lease lease = owner.leases().claim(s.id());

            assertThat(ahead.recover()).as("a minute ahead, the owner's lease still looks live to the server").isEmpty();
            assertThatThrownBy(() -> ahead.leases().claim(s.id())).isInstanceOf(LeaseHeldException.class);
            assertThat(owner.get(s.id()).status()).isEqualTo(SessionStatus.ACTIVE);
            assertThat(owner.leases().lease(s.id())).hasValueSatisfying(l -> assertThat(l.sameClaimAs(lease)).isTrue());
            owner.mergeContext(s.id(), "{\"still\":\"the owner's\"}");
        }
    }

    @Test
    void aDaemonWhoseClockRunsBehindKeepsItsLeasesLiveForTheOthers() {
        try (PostgresStorage first = open(); PostgresStorage second = open()) {
            SessionService behind = daemon(first, "behind", Clock.offset(Clock.systemUTC(), SKEW.negated()));
            SessionService other = daemon(second, "other", Clock.systemUTC());
            Session s = behind.activate(behind.create("/home/ana/code/webapp", "+1555").id());
            Lease lease = behind.leases().claim(s.id());

            // Granted for LEASE from the server's now, not from a clock a minute late (already expired).
            assertThat(lease.expiresAt()).isAfter(Instant.now().plus(LEASE).minusSeconds(5));
            assertThat(other.recover()).isEmpty();
            assertThatThrownBy(() -> other.leases().claim(s.id())).isInstanceOf(LeaseHeldException.class);
            assertThat(behind.leases().renew()).isEmpty();
            behind.appendActivity(s.id(), "edit", "{}");
        }
    }
}
