package io.claudesignal.sessions.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.domain.IdPrefix;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Short ids: a unique prefix of at least six characters names a session, as in git and docker; the
 * store finds the candidates by a range of its primary key, whatever type it keeps ids in.
 */
public abstract class ShortIdsKit extends Kit {

    // Neighbours in every store's order: they share "abcdef12", and one sits at each edge of the
    // "abcdef1" range (all zeros, all f), where an off-by-one in a range bound would lose it.
    private static final List<SessionId> IDS = List.of(
            SessionId.parse("abcdef12-0000-4000-8000-000000000001"),
            SessionId.parse("abcdef12-0000-4000-8000-000000000002"),
            SessionId.parse("abcdef13-5555-4555-8555-555555555555"),
            SessionId.parse("abcdef10-0000-0000-0000-000000000000"),
            SessionId.parse("abcdef1f-ffff-ffff-ffff-ffffffffffff"),
            SessionId.parse("abcdef20-0000-4000-8000-000000000000"),
            SessionId.parse("abcdee1f-ffff-4fff-bfff-ffffffffffff"));

    private Sessions named;

    @BeforeEach
    final void sessionsWithChosenIds() {
        Deque<SessionId> next = new ArrayDeque<>(IDS);
        named = service(persistence, next::removeFirst);
        for (int i = 0; i < IDS.size(); i++) {
            named.create("/home/ana/code/webapp", "+15551234567");
        }
    }

    @Test
    void aUniquePrefixNamesItsSession() {
        assertThat(named.resolve("abcdef13")).isEqualTo(IDS.get(2));
        assertThat(named.resolve("abcdef2")).isEqualTo(IDS.get(5));
        assertThat(named.resolve("abcdee")).isEqualTo(IDS.get(6));
        assertThat(named.resolve("abcdef13-5555-4555-8555-55555555555")).isEqualTo(IDS.get(2));
    }

    @Test
    void prefixesAreReadInEitherCase() {
        assertThat(named.resolve("ABCDEF13-5")).isEqualTo(IDS.get(2));
        assertThat(named.resolve("ABCDEF12-0000-4000-8000-000000000002")).isEqualTo(IDS.get(1));
    }

    @Test
    void theEdgesOfThePrefixRangeAreFound() {
        assertThat(named.resolve("abcdef10")).isEqualTo(IDS.get(3));
        assertThat(named.resolve("abcdef1f")).isEqualTo(IDS.get(4));
        assertThat(persistence.sessions().findIdsByPrefix(IdPrefix.parse("abcdef1"), 10))
                .containsExactly(IDS.get(3), IDS.get(0), IDS.get(1), IDS.get(2), IDS.get(4));
    }

    @Test
    void theStoreReturnsAtMostTheLimitInIdOrder() {
        assertThat(persistence.sessions().findIdsByPrefix(IdPrefix.parse("abcdef"), 2))
                .containsExactly(IDS.get(3), IDS.get(0));
        assertThat(persistence.sessions().findIdsByPrefix(IdPrefix.parse("abcdef12-0000-4000-8000-000000000002"), 5))
                .containsExactly(IDS.get(1));
    }

    @Test
    void anAmbiguousPrefixIsInvalidAndNamesTheCandidates() {
        assertThatThrownBy(() -> named.resolve("abcdef12"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("id");
                    assertThat(e.getMessage()).contains("ambiguous", IDS.get(0).toString(), IDS.get(1).toString())
                            .doesNotContain(IDS.get(2).toString());
                });
    }

    @Test
    void anUnknownPrefixIsNotFound() {
        assertThatThrownBy(() -> named.resolve("abcdef3"))
                .isInstanceOfSatisfying(SessionNotFoundException.class,
                        e -> assertThat(e.prefix()).contains(IdPrefix.parse("abcdef3")));
        assertThatThrownBy(() -> named.resolve("012345")).isInstanceOf(SessionNotFoundException.class);
    }

    @Test
    void aPrefixShorterThanSixCharactersIsInvalid() {
        assertThatThrownBy(() -> named.resolve("abcde"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("at least 6");
    }

    @Test
    void somethingThatStartsNoIdIsInvalid() {
        for (String typed : List.of("abcdefg", "abcdef12_", "abcdef12-0000-4000-8000-0000000000012", "%bcdef", "")) {
            assertThatThrownBy(() -> named.resolve(typed)).as(typed).isInstanceOf(InvalidInputException.class);
        }
    }

    @Test
    void aWholeIdIsTakenAsItIsWithoutLookingItUp() {
        SessionId absent = SessionId.parse("00000000-1111-4111-8111-111111111111");
        assertThat(named.resolve(absent.toString())).isEqualTo(absent);
    }

    @Test
    void aDeletedSessionNoLongerMatches() {
        named.terminate(IDS.get(6));
        named.delete(IDS.get(6));
        assertThatThrownBy(() -> named.resolve("abcdee")).isInstanceOf(SessionNotFoundException.class);
    }
}
