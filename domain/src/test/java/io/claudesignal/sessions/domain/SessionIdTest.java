package io.claudesignal.sessions.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SessionIdTest {

    @Test
    void randomIdsAreVersionFourAndDistinct() {
        Set<SessionId> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            SessionId id = SessionId.random();
            assertThat(id.value().version()).isEqualTo(4);
            assertThat(seen.add(id)).isTrue();
        }
    }

    @Test
    void parsesCanonicalFormInEitherCaseAndPrintsLowercase() {
        SessionId id = SessionId.parse("4C59ADF8-6832-4CFA-92F4-4EE146654006");
        assertThat(id.toString()).isEqualTo("4c59adf8-6832-4cfa-92f4-4ee146654006");
        assertThat(SessionId.parse(id.toString())).isEqualTo(id);
        assertThat(id.value()).isEqualTo(UUID.fromString("4c59adf8-6832-4cfa-92f4-4ee146654006"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "1-2-3-4-5",                                   // UUID.fromString accepts this
        "4c59adf8-6832-4cfa-92f4-4ee14665400",         // one digit short
        "4c59adf8-6832-4cfa-92f4-4ee1466540066",       // one digit long
        "4c59adf868324cfa92f44ee146654006",            // no dashes
        "{4c59adf8-6832-4cfa-92f4-4ee146654006}",
        " 4c59adf8-6832-4cfa-92f4-4ee146654006",
        "4c59adf8-6832-4cfa-92f4-4ee14665400g",
        "../../etc/passwd",
        "'; DROP TABLE sessions; --",
        "4c59adf8-6832-4cfa-92f4-4ee14665400\u0000",
    })
    void refusesAnythingElseWithATypedError(String text) {
        assertThatThrownBy(() -> SessionId.parse(text))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("id"))
                .hasMessageContaining("not a session id");
    }

    @Test
    void ordersLikeItsText() {
        SessionId low = SessionId.parse("7fffffff-0000-4000-8000-000000000000");
        SessionId high = SessionId.parse("80000000-0000-4000-8000-000000000000");
        assertThat(low).isLessThan(high);
    }
}
