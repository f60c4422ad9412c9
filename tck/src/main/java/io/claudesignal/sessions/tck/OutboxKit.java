package io.claudesignal.sessions.tck;

import static io.claudesignal.sessions.domain.SessionStatus.ACTIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.MessagesConfig;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.Reply.State;
import io.claudesignal.sessions.domain.ReplyNotFoundException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox: idempotent per key, claimed oldest first and per session in order, a dead sender's claim
 * claimable again after its lease time, failures retried with backoff and then dead (kept, retryable),
 * gone with the session, told to listeners; and two senders never hold one reply at once.
 */
public abstract class OutboxKit extends Kit {

    private static final Duration CLAIM = Duration.ofSeconds(60);
    private static final Duration BACKOFF = Duration.ofSeconds(2);
    private static final MessagesConfig THREE_ATTEMPTS = MessagesConfig.DEFAULTS.withRetries(3, BACKOFF,
            Duration.ofSeconds(5));
    private final List<SessionService> opened = new ArrayList<>();

    @AfterEach
    final void closeHandles() {
        opened.forEach(SessionService::close);
    }

    private SessionService handle(Persistence on, Actor actor) {
        SessionService service = new SessionService(on, clock, SessionIdGenerator.random(),
                new ContextJson(MAX_CONTEXT_BYTES, MAX_DEPTH),
                new SessionsConfig(actor, LEASE, HEARTBEAT, ACTIVITY_LIMIT).withMessages(THREE_ATTEMPTS));
        opened.add(service);
        return service;
    }

    private SessionService cli() {
        return handle(persistence, Actor.CLI);
    }

    private static String text(int n) {
        return "{\"text\":\"reply " + n + "\"}";
    }

    @Test
    void aReplyIsStoredOncePerKeyAndDueAtOnce() {
        SessionService cli = cli();
        Session s = newSession();
        Reply first = cli.outbox().enqueue(s.id(), text(1), "r1");
        Reply again = cli.outbox().enqueue(s.id(), "{\"text\":\"retried\"}", "r1");
        Reply second = cli.outbox().enqueue(s.id(), text(2), "r2");
        assertThat(again).isEqualTo(first);
        assertThat(second.id()).isGreaterThan(first.id());
        assertThat(first.state()).isEqualTo(State.PENDING);
        assertThat(first.json()).isEqualTo(text(1));
        assertThat(first.key()).isEqualTo("r1");
        assertThat(cli.outbox().list(Optional.of(s.id()), false, 10)).containsExactly(first, second);
        assertThat(cli.outbox().claim(10, CLAIM)).extracting(Reply::id).containsExactly(first.id());
    }

    @Test
    void claimsGoOldestFirstAndNeverASessionsSecondReplyBeforeItsFirstIsSent() {
        SessionService cli = cli();
        Session a = newSession();
        Session b = newSession();
        Reply a1 = cli.outbox().enqueue(a.id(), text(1), "a1");
        Reply a2 = cli.outbox().enqueue(a.id(), text(2), "a2");
        Reply b1 = cli.outbox().enqueue(b.id(), text(3), "b1");

        List<Reply> claimed = cli.outbox().claim(10, CLAIM);
        assertThat(claimed).extracting(Reply::id).containsExactly(a1.id(), b1.id());
        assertThat(claimed).allSatisfy(r -> assertThat(r.state()).isEqualTo(State.CLAIMED));
        assertThat(cli.outbox().claim(10, CLAIM)).isEmpty();

        assertThat(cli.outbox().sent(a1.id()).state()).isEqualTo(State.SENT);
        assertThat(cli.outbox().sent(a1.id()).state()).as("again").isEqualTo(State.SENT);
        assertThat(cli.outbox().claim(10, CLAIM)).extracting(Reply::id).containsExactly(a2.id());
        assertThat(cli.outbox().list(Optional.empty(), false, 10)).extracting(Reply::id)
                .containsExactly(a2.id(), b1.id());
    }

    @Test
    void aClaimWhoseSenderDiedIsClaimableAgainAfterItsLeaseTimeWithItsKey() {
        SessionService cli = cli();
        Session s = newSession();
        Reply r = cli.outbox().enqueue(s.id(), text(1), "r1");
        assertThat(cli.outbox().claim(5, CLAIM)).hasSize(1); // the sender dies holding it
        advance(CLAIM.minusSeconds(1));
        assertThat(cli.outbox().claim(5, CLAIM)).isEmpty();
        advance(Duration.ofSeconds(2));
        List<Reply> again = cli.outbox().claim(5, CLAIM);
        assertThat(again).extracting(Reply::id, Reply::key).containsExactly(org.assertj.core.groups.Tuple.tuple(r.id(), "r1"));
    }

    @Test
    void aFailedReplyIsRetriedWithBackoffThenDeadKeptAndRetryable() {
        SessionService cli = cli();
        Session s = newSession();
        Reply r = cli.outbox().enqueue(s.id(), text(1), "r1");
        Reply later = cli.outbox().enqueue(s.id(), text(2), "r2");

        cli.outbox().claim(1, CLAIM);
        Reply failed = cli.outbox().failed(r.id(), "signal-cli: network unreachable");
        assertThat(failed.state()).isEqualTo(State.PENDING);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.lastError()).contains("signal-cli: network unreachable");
        assertThat(cli.outbox().claim(5, CLAIM)).as("backing off, and the later one waits").isEmpty();
        advance(BACKOFF);
        assertThat(cli.outbox().claim(5, CLAIM)).extracting(Reply::id).containsExactly(r.id());
        assertThat(cli.outbox().failed(r.id(), "again").attempts()).isEqualTo(2);
        advance(BACKOFF.multipliedBy(2));
        cli.outbox().claim(5, CLAIM);
        Reply dead = cli.outbox().failed(r.id(), "for good");
        assertThat(dead.state()).isEqualTo(State.DEAD);
        assertThat(dead.attempts()).isEqualTo(3);
        assertThat(cli.outbox().failed(r.id(), "late report").state()).as("not claimed: unchanged").isEqualTo(State.DEAD);

        assertThat(cli.outbox().list(Optional.empty(), true, 10)).containsExactly(dead);
        // A dead reply does not hold its session's later replies back for good.
        assertThat(cli.outbox().claim(5, CLAIM)).extracting(Reply::id).containsExactly(later.id());
        cli.outbox().sent(later.id());

        Reply retried = cli.outbox().retry(r.id());
        assertThat(retried.state()).isEqualTo(State.PENDING);
        assertThat(retried.attempts()).isZero();
        assertThat(cli.outbox().list(Optional.empty(), true, 10)).isEmpty();
        assertThat(cli.outbox().claim(5, CLAIM)).extracting(Reply::id).containsExactly(r.id());
    }

    @Test
    void badInputAndUnknownRepliesAreRefusedWithTypedErrors() {
        SessionService cli = cli();
        Session s = newSession();
        assertThatThrownBy(() -> cli.outbox().enqueue(SessionId.random(), text(1), "k"))
                .isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> cli.outbox().enqueue(s.id(), "\"text\"", "k")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> cli.outbox().enqueue(s.id(), text(1), "")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> cli.outbox().claim(0, CLAIM)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> cli.outbox().claim(1, Duration.ZERO)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> cli.outbox().sent(999_999)).isInstanceOf(ReplyNotFoundException.class);
        assertThatThrownBy(() -> cli.outbox().failed(999_999, "x")).isInstanceOf(ReplyNotFoundException.class);
        assertThatThrownBy(() -> cli.outbox().retry(999_999)).isInstanceOf(ReplyNotFoundException.class);
        assertThatThrownBy(() -> cli.outbox().list(Optional.of(SessionId.random()), false, 5))
                .isInstanceOf(SessionNotFoundException.class);
        assertThat(cli.outbox().find(999_999)).isEmpty();
    }

    @Test
    void anEnqueueIsFencedByTheDaemonsLease() throws Exception {
        SessionService owner = handle(persistence, Actor.daemon("owner"));
        SessionService other = handle(openSecondHandle(), Actor.daemon("other"));
        Session s = sessionIn(ACTIVE);
        owner.leases().claim(s.id());
        owner.outbox().enqueue(s.id(), text(1), "r1");
        advance(LEASE.plusSeconds(1));
        assertThat(other.recover()).containsExactly(s.id());
        assertThatThrownBy(() -> owner.outbox().enqueue(s.id(), text(2), "r2")).isInstanceOf(LeaseLostException.class);
        assertThat(other.outbox().list(Optional.of(s.id()), false, 10)).hasSize(1);
    }

    @Test
    void racingSendersNeverHoldOneReplyAtOnce() throws Exception {
        SessionService first = cli();
        SessionService second = handle(openSecondHandle(), Actor.CLI);
        for (int round = 0; round < ROUNDS; round++) {
            Map<Long, SessionId> sessionOf = new HashMap<>();
            Set<Long> everyReply = new HashSet<>();
            for (int i = 0; i < RACERS; i++) {
                Session s = newSession();
                for (int j = 0; j < 2; j++) { // two each: the second must wait for the first
                    Reply r = first.outbox().enqueue(s.id(), text(j), "round" + round + "-" + j);
                    sessionOf.put(r.id(), s.id());
                    everyReply.add(r.id());
                }
            }
            List<Race.Outcome<List<Reply>>> outcomes = Race.run(RACERS,
                    racer -> () -> (racer % 2 == 0 ? first : second).outbox().claim(3, CLAIM));
            List<Long> claimed = outcomes.stream().peek(o -> assertThat(o.error()).isNull())
                    .flatMap(o -> o.value().stream()).map(Reply::id).toList();
            assertThat(claimed).as("no reply held by two senders").doesNotHaveDuplicates();
            assertThat(claimed.stream().map(sessionOf::get)).as("one reply per session at a time")
                    .doesNotHaveDuplicates();
            assertThat(claimed).hasSize(RACERS); // every session's first reply, each once
            for (Long id : claimed) {
                first.outbox().sent(id);
            }
            // Drain: every reply is sent once, in its session's order.
            List<Reply> rest = first.outbox().claim(1000, CLAIM);
            assertThat(rest).hasSize(RACERS);
            rest.forEach(r -> first.outbox().sent(r.id()));
            assertThat(first.outbox().list(Optional.empty(), false, 1000)).isEmpty();
            assertThat(everyReply).hasSize(2 * RACERS);
        }
    }

    @Test
    void deletingTheSessionDeletesItsReplies() {
        SessionService cli = cli();
        Session s = newSession();
        Reply r = cli.outbox().enqueue(s.id(), text(1), "r1");
        sessions.terminate(s.id());
        sessions.delete(s.id());
        assertThat(cli.outbox().find(r.id())).isEmpty();
        assertThat(cli.outbox().list(Optional.empty(), false, 10)).isEmpty();
        assertThat(cli.outbox().claim(10, CLAIM)).isEmpty();
    }

    @Test
    void aListenerOnAnotherHandleHearsTheQueuedReplyOnce() throws Exception {
        SessionService daemon = handle(openSecondHandle(), Actor.daemon("sender"));
        SessionService cli = cli();
        Session s = newSession();
        List<SessionEvent> heard = new CopyOnWriteArrayList<>();
        daemon.subscribe(heard::add);
        Reply r = cli.outbox().enqueue(s.id(), text(1), "r1");
        cli.outbox().enqueue(s.id(), text(1), "r1");
        Session marker = cli.create("/home/ana/code/api", "+15551234567");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (heard.stream().noneMatch(e -> e.sessionId().equals(marker.id())) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(heard.stream().filter(e -> e instanceof SessionEvent.ReplyQueued).toList())
                .containsExactly(new SessionEvent.ReplyQueued(r, Actor.CLI));
    }
}
