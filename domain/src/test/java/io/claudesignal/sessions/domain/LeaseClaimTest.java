package io.claudesignal.sessions.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The claim and release rules every store applies: {@link Lease#decideClaim}, {@link Lease#releases}. */
class LeaseClaimTest {

    private static final SessionId ID = new SessionId(UUID.randomUUID());
    private static final Actor ME = new Actor("daemon-a");
    private static final Actor OTHER = new Actor("daemon-b");
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant LATER = NOW.plusSeconds(30);

    @Test
    void aFreeSessionIsClaimedUnderTheNewToken() {
        assertThat(Lease.decideClaim(ID, SessionStatus.ACTIVE, Optional.empty(), ME, 7, NOW, LATER))
                .isEqualTo(new Lease(ID, ME, 7, LATER));
    }

    @Test
    void anExpiredLeaseOfAnotherOwnerIsTakenOver() {
        Lease expired = new Lease(ID, OTHER, 3, NOW);
        assertThat(Lease.decideClaim(ID, SessionStatus.ACTIVE, Optional.of(expired), ME, 7, NOW, LATER))
                .isEqualTo(new Lease(ID, ME, 7, LATER));
    }

    @Test
    void theOwnerClaimingAgainKeepsItsToken() {
        Lease mine = new Lease(ID, ME, 3, NOW.plusSeconds(1));
        assertThat(Lease.decideClaim(ID, SessionStatus.ACTIVE, Optional.of(mine), ME, 7, NOW, LATER))
                .isEqualTo(new Lease(ID, ME, 3, LATER));
    }

    @Test
    void aLiveLeaseOfAnotherOwnerRefusesTheClaim() {
        Lease theirs = new Lease(ID, OTHER, 3, NOW.plusSeconds(1));
        assertThatThrownBy(() -> Lease.decideClaim(ID, SessionStatus.ACTIVE, Optional.of(theirs), ME, 7, NOW, LATER))
                .isInstanceOf(LeaseHeldException.class);
    }

    @Test
    void onlyAnActiveSessionCanBeClaimed() {
        assertThatThrownBy(() -> Lease.decideClaim(ID, SessionStatus.PAUSED, Optional.empty(), ME, 7, NOW, LATER))
                .isInstanceOf(StatusMismatchException.class);
    }

    @Test
    void aReleaseEndsOnlyTheSameClaimExpiredOrNot() {
        Lease mine = new Lease(ID, ME, 3, NOW);
        assertThat(Lease.releases(Optional.of(new Lease(ID, ME, 3, LATER)), mine)).as("renewed since").isTrue();
        assertThat(Lease.releases(Optional.of(mine), mine)).as("expired, not taken").isTrue();
        assertThat(Lease.releases(Optional.of(new Lease(ID, OTHER, 3, LATER)), mine)).as("taken over").isFalse();
        assertThat(Lease.releases(Optional.of(new Lease(ID, ME, 0, Instant.EPOCH)), mine)).as("fenced").isFalse();
        assertThat(Lease.releases(Optional.empty(), mine)).as("none stored").isFalse();
    }
}
