package io.claudesignal.sessions.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one-decision rule of an approval, its deadline and its cancellation, as every store applies them. */
class ApprovalTest {

    private static final Instant AT = Instant.parse("2026-12-07T10:00:00.123456Z");
    private static final Actor ANA = new Actor("signal:+15551234567");

    private final Approval pending = Approval.requested(ApprovalId.random(), SessionId.random(), 1, "toolu_01", "{}",
            Actor.daemon("webapp"), AT, Duration.ofMinutes(10));

    @Test
    void aPendingApprovalReadsAsExpiredFromItsDeadlineOn() {
        assertThat(pending.asOf(AT.plusSeconds(599))).isSameAs(pending);
        Approval expired = pending.asOf(AT.plusSeconds(600));
        assertThat(expired.state()).isEqualTo(Approval.State.EXPIRED);
        assertThat(expired.decidedAt()).contains(pending.expiresAt());
        assertThat(expired.decidedBy()).isEmpty();
        assertThat(pending.isPendingAt(AT.plusSeconds(600))).isFalse();
    }

    @Test
    void theFirstDecisionStandsTheSameAgainReturnsItAnotherIsRefused() {
        Approval approved = pending.decide(Approval.Decision.APPROVE, ANA, Optional.of("ok"), AT.plusSeconds(1));
        assertThat(approved.state()).isEqualTo(Approval.State.APPROVED);
        assertThat(approved.decide(Approval.Decision.APPROVE, Actor.CLI, Optional.empty(), AT.plusSeconds(2)))
                .isSameAs(approved);
        assertThatThrownBy(() -> approved.decide(Approval.Decision.REJECT, Actor.CLI, Optional.empty(), AT.plusSeconds(2)))
                .isInstanceOfSatisfying(ApprovalConflictException.class, e -> {
                    assertThat(e.recorded()).isEqualTo(Approval.State.APPROVED);
                    assertThat(e.refused()).isEqualTo(Approval.Decision.REJECT);
                    assertThat(e.getMessage()).contains("APPROVED", "by " + ANA, "REJECTED");
                });
        assertThatThrownBy(() -> pending.decide(Approval.Decision.APPROVE, ANA, Optional.empty(), AT.plusSeconds(600)))
                .isInstanceOfSatisfying(ApprovalConflictException.class,
                        e -> assertThat(e.recorded()).isEqualTo(Approval.State.EXPIRED));
    }

    @Test
    void cancellingTakesOnlyWhatIsStillPending() {
        Approval cancelled = pending.cancelled(Actor.CLI, AT.plusSeconds(5));
        assertThat(cancelled.state()).isEqualTo(Approval.State.CANCELLED);
        assertThat(cancelled.decidedBy()).contains(Actor.CLI);
        assertThat(pending.cancelled(Actor.CLI, AT.plusSeconds(601)).state()).isEqualTo(Approval.State.EXPIRED);
        Approval rejected = pending.decide(Approval.Decision.REJECT, ANA, Optional.empty(), AT.plusSeconds(1));
        assertThat(rejected.cancelled(Actor.CLI, AT.plusSeconds(5))).isSameAs(rejected);
    }

    @Test
    void badNotesTimeoutsAndIdsAreRefused() {
        assertThatThrownBy(() -> Approval.validateNote("x".repeat(Approval.MAX_NOTE_LENGTH + 1)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Approval.validateNote("bell\u0007")).isInstanceOf(InvalidInputException.class);
        Approval.validateNote("two\nlines\tand a tab");
        assertThatThrownBy(() -> Approval.validateTimeout(Duration.ZERO)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Approval.validateTimeout(Duration.ofDays(31))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ApprovalId.parse("9b1f07c2")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("approval id");
        assertThatThrownBy(() -> IdPrefix.parse("xyz", "approval")).hasMessageContaining("not an approval id");
    }
}
