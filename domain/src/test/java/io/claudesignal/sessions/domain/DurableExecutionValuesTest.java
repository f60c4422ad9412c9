package io.claudesignal.sessions.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The values of durable execution: actors, leases, transitions, activities and the catch-up sentence. */
class DurableExecutionValuesTest {

    private static final SessionId ID = SessionId.parse("4c59adf8-6832-4cfa-92f4-4ee146654006");
    private static final Instant T = Instant.parse("2026-11-25T10:00:00.123456789Z");

    @Test
    void aDaemonIdentityIsNewForEveryStartAndTellsItselfFromTheCli() {
        Actor one = Actor.newDaemonInstance();
        Actor two = Actor.newDaemonInstance();
        assertThat(one).isNotEqualTo(two);
        assertThat(one.isDaemon()).isTrue();
        assertThat(one.value()).startsWith("daemon:" + ProcessHandle.current().pid() + "-");
        assertThat(Actor.CLI.isDaemon()).isFalse();
        assertThat(Actor.daemon("laptop-1")).isEqualTo(new Actor("daemon:laptop-1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "tab\there", "lone\ud800"})
    void anUnprintableActorIsRefused(String value) {
        assertThatThrownBy(() -> new Actor(value)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new Actor("x".repeat(Actor.MAX_LENGTH + 1))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aLeaseHoldsStrictlyBeforeItsExpiry() {
        Lease lease = new Lease(ID, Actor.daemon("a"), 7, T);
        assertThat(lease.expiresAt()).isEqualTo(Instant.parse("2026-11-25T10:00:00.123456Z"));
        assertThat(lease.isLiveAt(lease.expiresAt().minusNanos(1000))).isTrue();
        assertThat(lease.isLiveAt(lease.expiresAt())).isFalse();
    }

    @Test
    void theSameClaimIsTheSameOwnerAndTokenWhateverTheExpiry() {
        Lease lease = new Lease(ID, Actor.daemon("a"), 7, T);
        assertThat(lease.sameClaimAs(new Lease(ID, Actor.daemon("a"), 7, T.plusSeconds(30)))).isTrue();
        assertThat(lease.sameClaimAs(new Lease(ID, Actor.daemon("a"), 8, T))).isFalse();
        assertThat(lease.sameClaimAs(new Lease(ID, Actor.daemon("b"), 7, T))).isFalse();
        assertThat(lease.sameClaimAs(new Lease(SessionId.random(), Actor.daemon("a"), 7, T))).isFalse();
        assertThat(lease.sameClaimAs(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "new\nline"})
    void aReasonMustBeAShortPrintableWord(String reason) {
        assertThatThrownBy(() -> new Transition(ID, SessionStatus.ACTIVE, SessionStatus.PAUSED, T, reason, Actor.CLI))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Transition.validateReason("r".repeat(Transition.MAX_REASON_LENGTH + 1)))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void anActivityKeepsMicrosecondsAndRefusesABadType() {
        assertThat(new Activity(ID, 1, "edit", "{}", T).at()).isEqualTo(Instant.parse("2026-11-25T10:00:00.123456Z"));
        assertThatThrownBy(() -> new Activity(ID, 1, "", "{}", T)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new Activity(ID, 0, "edit", "{}", T)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCatchUpSentenceCountsByTypeAndSaysWhatTheLogDropped() {
        List<Activity> held = List.of(new Activity(ID, 9, "test", "{}", T), new Activity(ID, 10, "edit", "{}", T),
                new Activity(ID, 11, "edit", "{}", T));
        CatchUp catchUp = new CatchUp(ID, 4, 11, held);
        assertThat(catchUp.count()).isEqualTo(7);
        assertThat(catchUp.dropped()).isEqualTo(4);
        assertThat(catchUp.summary()).isEqualTo(
                "While you were away, Claude completed 7 operations: 2 edit, 1 test (4 older ones are no longer in the log).");
        assertThat(new CatchUp(ID, 0, 1, List.of(new Activity(ID, 1, "command", "{}", T))).summary())
                .isEqualTo("While you were away, Claude completed 1 operation: 1 command.");
        assertThat(new CatchUp(ID, 3, 3, List.of()).summary()).isEqualTo("Nothing new since you last checked.");
        assertThatThrownBy(() -> new CatchUp(ID, 5, 4, List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
