package io.claudesignal.sessions.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.InvalidInputException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionsConfigTest {

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        SessionsConfig cli = SessionsConfig.cli();
        assertThat(cli.actor()).isEqualTo(Actor.CLI);
        assertThat(cli.leaseDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(cli.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(cli.activityLimit()).isEqualTo(100);
        assertThat(SessionsConfig.daemon().actor().isDaemon()).isTrue();
    }

    @Test
    void aDaemonHasAStableNameTheDefaultOneFromTheHostAndTheStore() {
        assertThat(SessionsConfig.daemon("webapp").actor()).isEqualTo(Actor.daemon("webapp"));
        assertThat(SessionsConfig.daemon("webapp").forStore("0123abcd").actor()).isEqualTo(Actor.daemon("webapp"));
        SessionsConfig byDefault = SessionsConfig.daemon().withLease(Duration.ofSeconds(5), Duration.ofSeconds(1));
        assertThat(byDefault.actor()).isEqualTo(Actor.daemon(SessionsConfig.hostName()));
        assertThat(byDefault.forStore("0123abcd").actor())
                .isEqualTo(Actor.daemon(SessionsConfig.hostName() + "@0123abcd"));
        assertThat(SessionsConfig.daemon().actor()).as("the same on every start").isEqualTo(SessionsConfig.daemon().actor());
        assertThatThrownBy(() -> SessionsConfig.daemon(" ")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aHeartbeatMustBeatBeforeTheLeaseRunsOut() {
        assertThatThrownBy(() -> SessionsConfig.cli().withLease(Duration.ofSeconds(5), Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("heartbeatInterval"));
        assertThatThrownBy(() -> SessionsConfig.cli().withLease(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(InvalidInputException.class);
        assertThat(SessionsConfig.cli().withLease(Duration.ofSeconds(5), Duration.ofSeconds(1)).leaseDuration())
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theActivityLimitIsBounded() {
        assertThatThrownBy(() -> SessionsConfig.cli().withActivityLimit(0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> SessionsConfig.cli().withActivityLimit(SessionsConfig.MAX_ACTIVITY_LIMIT + 1))
                .isInstanceOf(InvalidInputException.class);
        assertThat(SessionsConfig.cli().withActivityLimit(1).activityLimit()).isEqualTo(1);
    }
}
