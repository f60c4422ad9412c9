package io.claudesignal.sessions.domain;

import static io.claudesignal.sessions.domain.SessionStatus.ACTIVE;
import static io.claudesignal.sessions.domain.SessionStatus.CREATED;
import static io.claudesignal.sessions.domain.SessionStatus.PAUSED;
import static io.claudesignal.sessions.domain.SessionStatus.TERMINATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SessionStatusTest {

    // The table from the specification, written out by hand so that a change to the rules must change it too.
    private static final Set<List<SessionStatus>> ALLOWED = Set.of(
            List.of(CREATED, ACTIVE), List.of(CREATED, TERMINATED),
            List.of(ACTIVE, ACTIVE), List.of(ACTIVE, PAUSED), List.of(ACTIVE, TERMINATED),
            List.of(PAUSED, PAUSED), List.of(PAUSED, ACTIVE), List.of(PAUSED, TERMINATED),
            List.of(TERMINATED, TERMINATED));

    static Stream<Arguments> everyPair() {
        List<Arguments> pairs = new ArrayList<>();
        for (SessionStatus from : SessionStatus.values()) {
            for (SessionStatus to : SessionStatus.values()) {
                pairs.add(Arguments.of(from, to, ALLOWED.contains(List.of(from, to))));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1} allowed: {2}")
    @MethodSource("everyPair")
    void everyPairFollowsTheTable(SessionStatus from, SessionStatus to, boolean allowed) {
        assertThat(from.canTransitionTo(to)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} -> {1} allowed: {2}")
    @MethodSource("everyPair")
    void checkTransitionRefusesExactlyTheForbiddenPairs(SessionStatus from, SessionStatus to, boolean allowed) {
        SessionId id = SessionId.random();
        if (allowed) {
            Session.checkTransition(id, from, to);
        } else {
            assertThatThrownBy(() -> Session.checkTransition(id, from, to))
                    .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                        assertThat(e.id()).isEqualTo(id);
                        assertThat(e.from()).isEqualTo(from);
                        assertThat(e.to()).isEqualTo(to);
                    });
        }
    }

    @Test
    void theTableHasNineAllowedPairs() {
        long allowed = everyPair().filter(a -> (boolean) a.get()[2]).count();
        assertThat(allowed).isEqualTo(9);
    }

    @Test
    void parsesNamesInAnyCase() {
        assertThat(SessionStatus.parse("paused")).isEqualTo(PAUSED);
        assertThat(SessionStatus.parse(" Active ")).isEqualTo(ACTIVE);
        assertThatThrownBy(() -> SessionStatus.parse("running"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("running");
        assertThatThrownBy(() -> SessionStatus.parse(null)).isInstanceOf(InvalidInputException.class);
    }
}
