package io.claudesignal.sessions.tck;

import static io.claudesignal.sessions.domain.Approval.Decision.APPROVE;
import static io.claudesignal.sessions.domain.Approval.Decision.REJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.port.in.Approvals;
import io.claudesignal.sessions.application.port.in.PurgeRequest;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.MaintenanceService;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.Approval.State;
import io.claudesignal.sessions.domain.ApprovalConflictException;
import io.claudesignal.sessions.domain.ApprovalId;
import io.claudesignal.sessions.domain.ApprovalNotFoundException;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Approvals through the {@link Approvals} API: a request is PENDING, idempotent per key and only on an
 * ACTIVE session; one decision is recorded and the same one again returns it unchanged; a PENDING
 * approval past its deadline reads as EXPIRED; leaving ACTIVE (pause, terminate, recovery) cancels the
 * pending ones; delete and purge remove them; another handle hears both events; and the races: 16
 * threads over two handles deciding one approval give exactly one decision, 16 requests with one key
 * make one approval.
 */
public abstract class ApprovalsKit extends Kit {

    private static final String ASK = "{ \"tool\": \"Bash\", \"input\": {\"command\": \"rm -rf build\"}, \"n\": 1.50 }";
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Actor ANA = new Actor("signal:+15551234567");

    private final List<SessionService> opened = new ArrayList<>();
    private Approvals approvals;

    @BeforeEach
    final void approvalsOfTheStore() {
        approvals = handle(service(persistence, SessionIdGenerator.random(), Actor.CLI));
    }

    @AfterEach
    final void closeHandles() {
        opened.forEach(SessionService::close);
    }

    private Approvals handle(SessionService service) {
        opened.add(service);
        return service.approvals();
    }

    private Session active() {
        return sessions.activate(newSession().id());
    }

    // ---- requesting ----

    @Test
    void aRequestIsPendingNumberedInItsSessionAndKeptByteForByte() {
        Session s = active();
        Approval first = approvals.request(s.id(), ASK, "toolu_01");
        Approval second = approvals.request(s.id(), "{}", "toolu_02", Duration.ofMinutes(1));
        assertThat(first.state()).isEqualTo(State.PENDING);
        assertThat(first.seq()).isEqualTo(1);
        assertThat(second.seq()).isEqualTo(2);
        assertThat(first.request()).isEqualTo(ASK);
        assertThat(first.key()).isEqualTo("toolu_01");
        assertThat(first.requestedBy()).isEqualTo(Actor.CLI);
        assertThat(first.decidedAt()).isEmpty();
        assertThat(Duration.between(first.requestedAt(), first.expiresAt())).as("the default timeout")
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(Duration.between(second.requestedAt(), second.expiresAt())).isEqualTo(Duration.ofMinutes(1));
        assertThat(approvals.find(first.id())).contains(first);
        assertThat(approvals.pending(s.id())).containsExactly(first, second);
        assertThat(approvals.pending()).containsExactly(first, second);
        assertThat(approvals.all(s.id())).containsExactly(first, second);
        assertThat(approvals.recent(1)).containsExactly(second);
    }

    @Test
    void aRequestWithAKnownKeyReturnsTheStoredApprovalAndWritesNothing() {
        Session s = active();
        Session other = active();
        Approval first = approvals.request(s.id(), ASK, "toolu_01");
        Approval again = approvals.request(s.id(), "{\"other\": true}", "toolu_01", Duration.ofSeconds(5));
        assertThat(again).isEqualTo(first);
        assertThat(approvals.all(s.id())).hasSize(1);
        assertThat(approvals.request(other.id(), ASK, "toolu_01").id()).as("keys are per session").isNotEqualTo(first.id());
        Approval decided = approvals.decide(first.id(), APPROVE, ANA);
        assertThat(approvals.request(s.id(), ASK, "toolu_01")).as("as it is now").isEqualTo(decided);
    }

    @Test
    void onlyAnActiveSessionAsksAndBadInputIsRefusedBeforeAnythingIsWritten() {
        for (SessionStatus status : List.of(SessionStatus.CREATED, SessionStatus.PAUSED, SessionStatus.TERMINATED)) {
            Session s = sessionIn(status);
            assertThatThrownBy(() -> approvals.request(s.id(), ASK, "k"))
                    .isInstanceOfSatisfying(StatusMismatchException.class, e -> {
                        assertThat(e.expected()).isEqualTo(SessionStatus.ACTIVE);
                        assertThat(e.actual()).isEqualTo(status);
                    });
        }
        SessionId missing = SessionId.random();
        assertThatThrownBy(() -> approvals.request(missing, ASK, "k")).isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> approvals.pending(missing)).isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> approvals.all(missing)).isInstanceOf(SessionNotFoundException.class);
        Session s = active();
        assertThatThrownBy(() -> approvals.request(s.id(), "[1]", "k")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> approvals.request(s.id(), ASK, " ")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> approvals.request(s.id(), ASK, "k", Duration.ZERO)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> approvals.request(s.id(), ASK, "k", Duration.ofDays(31)))
                .isInstanceOf(InvalidInputException.class);
        assertThat(approvals.all(s.id())).isEmpty();
    }

    @Test
    void aDaemonThatLostItsLeaseCannotAskButThePersonStillDecides() throws Exception {
        SessionService a = daemon("a");
        SessionService b = daemonOnSecondHandle("b");
        opened.add(a);
        opened.add(b);
        Session s = active();
        a.leases().claim(s.id());
        Approval asked = a.approvals().request(s.id(), ASK, "toolu_01");
        advance(LEASE.plusSeconds(1));
        b.leases().claim(s.id());
        assertThatThrownBy(() -> a.approvals().request(s.id(), ASK, "toolu_02")).isInstanceOf(LeaseLostException.class);
        assertThat(b.approvals().request(s.id(), ASK, "toolu_02").seq()).isEqualTo(2);
        assertThat(a.approvals().decide(asked.id(), APPROVE, ANA).state())
                .as("a decision is the person's, not a write of the session's runner").isEqualTo(State.APPROVED);
    }

    // ---- deciding ----

    @Test
    void oneDecisionIsRecordedTheSameAgainReturnsItAndAnotherIsAConflictNamingIt() {
        Session s = active();
        Approval asked = approvals.request(s.id(), ASK, "toolu_01");
        Approval approved = approvals.decide(asked.id(), APPROVE, ANA, "go ahead\nbut carefully");
        assertThat(approved.state()).isEqualTo(State.APPROVED);
        assertThat(approved.decidedBy()).contains(ANA);
        assertThat(approved.note()).contains("go ahead\nbut carefully");
        assertThat(approved.decidedAt()).isPresent();
        advance(Duration.ofSeconds(1));
        assertThat(approvals.decide(asked.id(), APPROVE, Actor.CLI, "another note")).as("unchanged").isEqualTo(approved);
        assertThatThrownBy(() -> approvals.decide(asked.id(), REJECT, Actor.CLI))
                .isInstanceOfSatisfying(ApprovalConflictException.class, e -> {
                    assertThat(e.recorded()).isEqualTo(State.APPROVED);
                    assertThat(e.approvalId()).isEqualTo(asked.id());
                    assertThat(e.id()).isEqualTo(s.id());
                    assertThat(e.getMessage()).contains("APPROVED");
                });
        assertThat(approvals.find(asked.id())).contains(approved);
        assertThat(approvals.pending(s.id())).isEmpty();
        assertThat(approvals.pending()).isEmpty();
    }

    @Test
    void anUnknownApprovalIsNotFound() {
        ApprovalId missing = ApprovalId.random();
        assertThat(approvals.find(missing)).isEmpty();
        assertThatThrownBy(() -> approvals.decide(missing, APPROVE, ANA)).isInstanceOf(ApprovalNotFoundException.class);
        assertThatThrownBy(() -> approvals.decide(missing, APPROVE, ANA, "x\u0000"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aPendingApprovalPastItsDeadlineReadsAsExpiredAndCannotBeDecided() {
        Session s = active();
        Approval asked = approvals.request(s.id(), ASK, "toolu_01", Duration.ofMinutes(1));
        Approval later = approvals.request(s.id(), ASK, "toolu_02", Duration.ofMinutes(5));
        advance(Duration.ofMinutes(2));
        Approval expired = approvals.find(asked.id()).orElseThrow();
        assertThat(expired.state()).isEqualTo(State.EXPIRED);
        assertThat(expired.decidedAt()).contains(asked.expiresAt());
        assertThat(approvals.pending(s.id())).extracting(Approval::id).containsExactly(later.id());
        assertThat(approvals.pending()).extracting(Approval::id).containsExactly(later.id());
        assertThatThrownBy(() -> approvals.decide(asked.id(), APPROVE, ANA))
                .isInstanceOfSatisfying(ApprovalConflictException.class,
                        e -> assertThat(e.recorded()).isEqualTo(State.EXPIRED));
        // Leaving ACTIVE keeps what expired expired, and cancels what was still pending.
        sessions.pause(s.id());
        assertThat(approvals.find(asked.id()).orElseThrow().state()).isEqualTo(State.EXPIRED);
        assertThat(approvals.find(later.id()).orElseThrow().state()).isEqualTo(State.CANCELLED);
    }

    // ---- leaving ACTIVE cancels ----

    @Test
    void pauseTerminateAndRecoveryCancelThePendingApprovalsInTheirStep() {
        Session paused = active();
        Approval a = approvals.request(paused.id(), ASK, "k");
        Approval decided = approvals.decide(approvals.request(paused.id(), ASK, "k2").id(), REJECT, ANA);
        sessions.pause(paused.id());
        Approval cancelled = approvals.find(a.id()).orElseThrow();
        assertThat(cancelled.state()).isEqualTo(State.CANCELLED);
        assertThat(cancelled.decidedBy()).contains(Actor.CLI);
        assertThat(approvals.find(decided.id())).as("a decision stands").contains(decided);
        assertThatThrownBy(() -> approvals.decide(a.id(), APPROVE, ANA))
                .isInstanceOfSatisfying(ApprovalConflictException.class,
                        e -> assertThat(e.recorded()).isEqualTo(State.CANCELLED));
        sessions.resume(paused.id());
        assertThat(approvals.find(a.id()).orElseThrow().state()).as("resuming revives nothing").isEqualTo(State.CANCELLED);

        Session terminated = active();
        Approval b = approvals.request(terminated.id(), ASK, "k");
        sessions.terminate(terminated.id());
        assertThat(approvals.find(b.id()).orElseThrow().state()).isEqualTo(State.CANCELLED);

        Session abandoned = active();
        Approval c = approvals.request(abandoned.id(), ASK, "k", Duration.ofHours(1));
        advance(LEASE.plusSeconds(1)); // ACTIVE, no lease, untouched for longer than the lease: abandoned
        assertThat(sessions.recover()).contains(abandoned.id());
        Approval recovered = approvals.find(c.id()).orElseThrow();
        assertThat(recovered.state()).isEqualTo(State.CANCELLED);
        assertThat(approvals.pending()).isEmpty();
    }

    // ---- deleting ----

    @Test
    void deleteAndPurgeRemoveASessionsApprovals() {
        Session deleted = active();
        Approval a = approvals.request(deleted.id(), ASK, "k");
        sessions.terminate(deleted.id());
        sessions.delete(deleted.id());
        assertThat(approvals.find(a.id())).isEmpty();
        assertThat(approvals.recent(10)).isEmpty();

        Session purged = active();
        Approval b = approvals.request(purged.id(), ASK, "k");
        sessions.terminate(purged.id());
        advance(Duration.ofDays(31));
        new MaintenanceService(List::of, operations(), persistence, new ContextJson(MAX_CONTEXT_BYTES, MAX_DEPTH))
                .purge(new PurgeRequest(clock.instant().minus(Duration.ofDays(30))));
        assertThat(sessions.find(purged.id())).isEmpty();
        assertThat(approvals.find(b.id())).isEmpty();
    }

    // ---- short ids ----

    @Test
    void aUniquePrefixResolvesToItsApproval() {
        Session s = active();
        Approval a = approvals.request(s.id(), ASK, "k");
        String text = a.id().toString();
        assertThat(approvals.resolve(text.substring(0, 8))).isEqualTo(a.id());
        assertThat(approvals.resolve(text.toUpperCase())).isEqualTo(a.id());
        String absent = text.charAt(0) == 'f' ? "000000" : "ffffff";
        assertThatThrownBy(() -> approvals.resolve(absent)).isInstanceOf(ApprovalNotFoundException.class);
        assertThatThrownBy(() -> approvals.resolve("abc")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("approval");
    }

    // ---- events ----

    @Test
    void anotherHandleHearsTheRequestAndTheDecisionWithTheirActors() throws Exception {
        SessionService listening = daemonOnSecondHandle("approvals");
        opened.add(listening);
        BlockingQueue<SessionEvent> heard = new LinkedBlockingQueue<>();
        listening.subscribe(event -> {
            if (event instanceof SessionEvent.ApprovalRequested || event instanceof SessionEvent.ApprovalDecided) {
                heard.add(event);
            }
        });
        List<SessionEvent> own = new ArrayList<>();
        SessionService cli = service(persistence, SessionIdGenerator.random(), Actor.CLI);
        opened.add(cli);
        cli.subscribe(event -> {
            synchronized (own) {
                own.add(event);
            }
        });
        Session s = active();
        Approval asked = cli.approvals().request(s.id(), ASK, "toolu_01");
        Approval decided = cli.approvals().decide(asked.id(), REJECT, ANA, "not now");
        cli.approvals().decide(asked.id(), REJECT, ANA); // the same again: nothing new to tell

        SessionEvent first = heard.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(first).isInstanceOfSatisfying(SessionEvent.ApprovalRequested.class, e -> {
            assertThat(e.approval().id()).isEqualTo(asked.id());
            assertThat(e.approval().request()).isEqualTo(ASK);
            assertThat(e.actor()).isEqualTo(Actor.CLI);
        });
        SessionEvent second = heard.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(second).isInstanceOfSatisfying(SessionEvent.ApprovalDecided.class, e -> {
            assertThat(e.approval()).isEqualTo(decided);
            assertThat(e.actor()).isEqualTo(ANA);
        });
        assertThat(heard.poll(300, TimeUnit.MILLISECONDS)).as("told once").isNull();
        synchronized (own) {
            assertThat(own.stream().filter(e -> e instanceof SessionEvent.ApprovalRequested
                    || e instanceof SessionEvent.ApprovalDecided).toList())
                    .as("the writing handle's own listener, told at once")
                    .containsExactly(new SessionEvent.ApprovalRequested(asked, Actor.CLI),
                            new SessionEvent.ApprovalDecided(decided, ANA));
        }
    }

    // ---- races ----

    @Test
    void sixteenThreadsDecidingOneApprovalGiveExactlyOneDecision() throws Exception {
        Approvals second = handle(service(openSecondHandle(), SessionIdGenerator.random(), Actor.CLI));
        for (int round = 0; round < ROUNDS; round++) {
            Session s = active();
            Approval asked = approvals.request(s.id(), ASK, "toolu_" + round);
            List<Race.Outcome<Approval>> outcomes = Race.run(RACERS, racer -> () ->
                    (racer % 2 == 0 ? approvals : second).decide(asked.id(), racer % 4 < 2 ? APPROVE : REJECT,
                            new Actor("racer-" + racer), "racer " + racer));
            Approval recorded = approvals.find(asked.id()).orElseThrow();
            assertThat(recorded.state()).isIn(State.APPROVED, State.REJECTED);
            for (Race.Outcome<Approval> outcome : outcomes) {
                if (outcome.won()) {
                    assertThat(outcome.value()).as("every success returns the one decision").isEqualTo(recorded);
                } else {
                    assertThat(outcome.error()).isInstanceOfSatisfying(ApprovalConflictException.class,
                            e -> assertThat(e.recorded()).isEqualTo(recorded.state()));
                }
            }
            long winners = outcomes.stream().filter(Race.Outcome::won).count();
            assertThat(winners).as("the racers of the recorded decision all succeed").isEqualTo(RACERS / 2);
        }
    }

    @Test
    void sixteenRequestsWithOneKeyMakeOneApproval() throws Exception {
        SessionService secondService = service(openSecondHandle(), SessionIdGenerator.random(), Actor.CLI);
        Approvals second = handle(secondService);
        for (int round = 0; round < ROUNDS; round++) {
            Session s = active();
            String key = "toolu_" + round;
            List<Race.Outcome<Approval>> outcomes = Race.run(RACERS, racer -> () ->
                    (racer % 2 == 0 ? approvals : second).request(s.id(), ASK, key));
            Set<ApprovalId> ids = outcomes.stream().map(o -> {
                assertThat(o.error()).isNull();
                return o.value().id();
            }).collect(Collectors.toSet());
            assertThat(ids).hasSize(1);
            assertThat(approvals.all(s.id())).extracting(Approval::seq).containsExactly(1L);
            assertThat(Optional.of(approvals.find(ids.iterator().next()).orElseThrow().key())).contains(key);
        }
    }
}
