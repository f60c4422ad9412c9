package io.claudesignal.sessions.tck;

import static io.claudesignal.sessions.domain.SessionStatus.ACTIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.MessagesConfig;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.Maintenance;
import io.claudesignal.sessions.application.port.in.PurgeRequest;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.MaintenanceService;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.InboxFullException;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.InboxMessage.State;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.LeaseHeldException;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The inbox: numbered per session, idempotent per key, first in first out, bounded, fenced by the
 * daemon's lease, taken messages put back by a recovery, a claim that takes the session over or the
 * holder's own release, gone with their session, told to listeners across handles; and two daemons (or
 * two threads) never take one message.
 */
public abstract class InboxKit extends Kit {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private final List<SessionService> opened = new ArrayList<>();

    @AfterEach
    final void closeHandles() {
        opened.forEach(SessionService::close);
    }

    private SessionService handle(Persistence on, Actor actor, MessagesConfig messages) {
        SessionService service = new SessionService(on, clock, SessionIdGenerator.random(),
                new ContextJson(MAX_CONTEXT_BYTES, MAX_DEPTH),
                new SessionsConfig(actor, LEASE, HEARTBEAT, ACTIVITY_LIMIT).withMessages(messages));
        opened.add(service);
        return service;
    }

    private SessionService cli() {
        return handle(persistence, Actor.CLI, MessagesConfig.DEFAULTS);
    }

    private static String text(int n) {
        return "{\"text\":\"message " + n + "\"}";
    }

    @Test
    void messagesAreNumberedPerSessionAndStoredOncePerKey() {
        SessionService cli = cli();
        Session a = newSession();
        Session b = newSession();
        InboxMessage first = cli.inbox().receive(a.id(), text(1), "signal-1");
        InboxMessage second = cli.inbox().receive(a.id(), text(2), "signal-2");
        InboxMessage other = cli.inbox().receive(b.id(), text(1), "signal-1");
        InboxMessage again = cli.inbox().receive(a.id(), "{\"text\":\"delivered twice\"}", "signal-1");

        assertThat(first.seq()).isEqualTo(1);
        assertThat(second.seq()).isEqualTo(2);
        assertThat(other.seq()).isEqualTo(1);
        assertThat(again).isEqualTo(first);
        assertThat(first.json()).isEqualTo(text(1));
        assertThat(first.state()).isEqualTo(State.WAITING);
        assertThat(cli.inbox().list(a.id(), false, 10)).containsExactly(first, second);
    }

    @Test
    void nextHandsOutTheOldestWaitingMessageAndDoneMarksItHandled() {
        SessionService cli = cli();
        Session s = sessionIn(ACTIVE);
        for (int i = 1; i <= 3; i++) {
            cli.inbox().receive(s.id(), text(i), "k" + i);
        }
        InboxMessage taken = cli.inbox().next(s.id()).orElseThrow();
        assertThat(taken.seq()).isEqualTo(1);
        assertThat(taken.state()).isEqualTo(State.TAKEN);
        assertThat(cli.inbox().next(s.id()).orElseThrow().seq()).isEqualTo(2);
        assertThat(cli.inbox().done(s.id(), 1).state()).isEqualTo(State.DONE);
        assertThat(cli.inbox().done(s.id(), 1).state()).as("again").isEqualTo(State.DONE);
        assertThat(cli.inbox().list(s.id(), false, 10)).extracting(InboxMessage::seq).containsExactly(2L, 3L);
        assertThat(cli.inbox().list(s.id(), true, 10)).extracting(InboxMessage::state)
                .containsExactly(State.DONE, State.TAKEN, State.WAITING);
        assertThat(cli.inbox().next(s.id()).orElseThrow().seq()).isEqualTo(3);
        assertThat(cli.inbox().next(s.id())).isEmpty();
        // A handled message's key is still known: a late redelivery is not stored again.
        assertThat(cli.inbox().receive(s.id(), text(1), "k1").state()).isEqualTo(State.DONE);
    }

    @Test
    void theBoundRefusesOneMoreUnhandledMessageWithATypedError() {
        SessionService cli = handle(persistence, Actor.CLI, MessagesConfig.DEFAULTS.withInboxLimit(3));
        Session s = sessionIn(ACTIVE);
        for (int i = 1; i <= 3; i++) {
            cli.inbox().receive(s.id(), text(i), "k" + i);
        }
        assertThatThrownBy(() -> cli.inbox().receive(s.id(), text(4), "k4"))
                .isInstanceOfSatisfying(InboxFullException.class, e -> {
                    assertThat(e.limit()).isEqualTo(3);
                    assertThat(e.id()).isEqualTo(s.id());
                });
        assertThat(cli.inbox().receive(s.id(), text(1), "k1").seq()).as("a known key is no new message").isEqualTo(1);
        InboxMessage taken = cli.inbox().next(s.id()).orElseThrow();
        assertThatThrownBy(() -> cli.inbox().receive(s.id(), text(4), "k4")).as("taken is not handled")
                .isInstanceOf(InboxFullException.class);
        cli.inbox().done(s.id(), taken.seq());
        assertThat(cli.inbox().receive(s.id(), text(4), "k4").seq()).isEqualTo(4);
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsStored() {
        SessionService cli = cli();
        Session s = newSession();
        assertThatThrownBy(() -> cli.inbox().receive(SessionId.random(), text(1), "k"))
                .isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> cli.inbox().receive(s.id(), "[1]", "k")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> cli.inbox().receive(s.id(), "{", "k")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> cli.inbox().receive(s.id(), text(1), " ")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> cli.inbox().done(s.id(), 7)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> cli.inbox().next(SessionId.random())).isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> cli.inbox().list(SessionId.random(), false, 5))
                .isInstanceOf(SessionNotFoundException.class);
        assertThat(cli.inbox().list(s.id(), true, 5)).isEmpty();
    }

    @Test
    void onlyTheDaemonHoldingTheLeaseTakesAndOneThatLostItCannotFinish() throws Exception {
        SessionService owner = handle(persistence, Actor.daemon("owner"), MessagesConfig.DEFAULTS);
        SessionService other = handle(openSecondHandle(), Actor.daemon("other"), MessagesConfig.DEFAULTS);
        Session s = sessionIn(ACTIVE);
        owner.leases().claim(s.id());
        owner.inbox().receive(s.id(), text(1), "k1");
        owner.inbox().receive(s.id(), text(2), "k2");

        assertThatThrownBy(() -> other.inbox().next(s.id())).isInstanceOf(LeaseHeldException.class);
        InboxMessage taken = owner.inbox().next(s.id()).orElseThrow();
        assertThat(taken.seq()).isEqualTo(1);

        advance(LEASE.plusSeconds(1)); // the owner stopped renewing: dead
        assertThat(other.recover()).containsExactly(s.id());
        assertThatThrownBy(() -> owner.inbox().done(s.id(), taken.seq())).isInstanceOf(LeaseLostException.class);
        assertThat(other.inbox().find(s.id(), taken.seq()).orElseThrow().state()).isEqualTo(State.WAITING);
    }

    /** {@code holder} claims {@code s}, receives messages k1 and k2, and takes the first: returned. */
    private InboxMessage claimReceiveTwoAndTakeOne(SessionService holder, Session s) {
        holder.leases().claim(s.id());
        holder.inbox().receive(s.id(), text(1), "k1");
        holder.inbox().receive(s.id(), text(2), "k2");
        return holder.inbox().next(s.id()).orElseThrow();
    }

    @Test
    void aDaemonClaimingADeadDaemonsExpiredLeaseGetsWhatItHadTaken() throws Exception {
        SessionService dead = handle(persistence, Actor.daemon("dead"), MessagesConfig.DEFAULTS);
        SessionService next = handle(openSecondHandle(), Actor.daemon("next"), MessagesConfig.DEFAULTS);
        Session s = sessionIn(ACTIVE);
        InboxMessage taken = claimReceiveTwoAndTakeOne(dead, s);
        dead.leases().claim(s.id()); // claiming one's own lease again takes nothing over
        assertThat(dead.inbox().find(s.id(), taken.seq()).orElseThrow().state()).isEqualTo(State.TAKEN);

        advance(LEASE.plusSeconds(1)); // the holder stopped renewing; no recovery runs
        next.leases().claim(s.id());
        assertThat(next.inbox().next(s.id()).map(InboxMessage::seq)).contains(taken.seq());
        assertThatThrownBy(() -> dead.inbox().done(s.id(), taken.seq())).isInstanceOf(LeaseLostException.class);
        next.inbox().done(s.id(), taken.seq());
        assertThat(next.inbox().next(s.id()).map(InboxMessage::seq)).contains(2L);
    }

    @Test
    void aDaemonReleasingItsLeaseGivesBackWhatItHadTaken() throws Exception {
        SessionService first = handle(persistence, Actor.daemon("first"), MessagesConfig.DEFAULTS);
        SessionService next = handle(openSecondHandle(), Actor.daemon("next"), MessagesConfig.DEFAULTS);
        Session s = sessionIn(ACTIVE);
        InboxMessage taken = claimReceiveTwoAndTakeOne(first, s);

        first.leases().release(s.id()); // gives the session up without finishing the message; no recovery runs
        assertThat(next.inbox().find(s.id(), taken.seq()).orElseThrow().state()).isEqualTo(State.WAITING);
        next.leases().claim(s.id());
        assertThat(next.inbox().next(s.id()).map(InboxMessage::seq)).contains(taken.seq());
        next.inbox().done(s.id(), taken.seq());
        assertThat(next.inbox().next(s.id()).map(InboxMessage::seq)).contains(2L);
    }

    @Test
    void aStaleReleaseLeavesTheNewHoldersTakenMessageTaken() throws Exception {
        SessionService stale = handle(persistence, Actor.daemon("stale"), MessagesConfig.DEFAULTS);
        SessionService next = handle(openSecondHandle(), Actor.daemon("next"), MessagesConfig.DEFAULTS);
        Session s = sessionIn(ACTIVE);
        stale.leases().claim(s.id());
        stale.inbox().receive(s.id(), text(1), "k1");
        stale.inbox().next(s.id()).orElseThrow();
        advance(LEASE.plusSeconds(1)); // the holder stalled past its lease
        Lease lease = next.leases().claim(s.id());
        InboxMessage taken = next.inbox().next(s.id()).orElseThrow();
        assertThat(taken.seq()).isEqualTo(1);

        stale.leases().release(s.id()); // its lease's token is no longer the stored one: it ends nothing
        assertThat(next.leases().lease(s.id())).contains(lease);
        assertThat(next.inbox().find(s.id(), taken.seq()).orElseThrow().state()).isEqualTo(State.TAKEN);
        assertThat(next.inbox().next(s.id())).isEmpty();
        assertThat(next.inbox().done(s.id(), taken.seq()).state()).isEqualTo(State.DONE);
    }

    @Test
    void aRecoveryPutsTheTakenMessagesBackSoTheNextDaemonHandlesThemInOrder() throws Exception {
        SessionService dead = handle(persistence, Actor.daemon("dead"), MessagesConfig.DEFAULTS);
        SessionService next = handle(openSecondHandle(), Actor.daemon("next"), MessagesConfig.DEFAULTS);
        Session s = sessionIn(ACTIVE);
        dead.leases().claim(s.id());
        for (int i = 1; i <= 3; i++) {
            dead.inbox().receive(s.id(), text(i), "k" + i);
        }
        dead.inbox().done(s.id(), dead.inbox().next(s.id()).orElseThrow().seq());
        dead.inbox().next(s.id()); // message 2 taken, then the daemon dies
        advance(LEASE.plusSeconds(1));

        assertThat(next.recover()).containsExactly(s.id());
        next.resume(s.id());
        next.leases().claim(s.id());
        List<Long> handled = new ArrayList<>();
        for (Optional<InboxMessage> m = next.inbox().next(s.id()); m.isPresent(); m = next.inbox().next(s.id())) {
            handled.add(m.get().seq());
            next.inbox().done(s.id(), m.get().seq());
        }
        assertThat(handled).containsExactly(2L, 3L);
        assertThat(next.inbox().list(s.id(), false, 10)).isEmpty();
    }

    @Test
    void racingTakersNeverTakeOneMessageTwice() throws Exception {
        SessionService first = cli();
        SessionService second = handle(openSecondHandle(), Actor.CLI, MessagesConfig.DEFAULTS);
        for (int round = 0; round < ROUNDS; round++) {
            Session s = sessionIn(ACTIVE); // no daemon holds it: any handle may take, one at a time
            int messages = RACERS / 2;
            for (int i = 1; i <= messages; i++) {
                first.inbox().receive(s.id(), text(i), "k" + i);
            }
            List<Race.Outcome<Optional<InboxMessage>>> outcomes = Race.run(RACERS,
                    racer -> () -> (racer % 2 == 0 ? first : second).inbox().next(s.id()));
            List<Long> taken = outcomes.stream().peek(o -> assertThat(o.error()).isNull())
                    .flatMap(o -> o.value().stream()).map(InboxMessage::seq).toList();
            assertThat(taken).as("each message once").doesNotHaveDuplicates().hasSize(messages);
            assertThat(new HashSet<>(taken)).isEqualTo(Set.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L));
        }
    }

    @Test
    void racingReceiversWithOneKeyStoreOneMessage() throws Exception {
        SessionService first = cli();
        SessionService second = handle(openSecondHandle(), Actor.CLI, MessagesConfig.DEFAULTS);
        Session s = sessionIn(ACTIVE);
        List<Race.Outcome<InboxMessage>> outcomes = Race.run(RACERS,
                racer -> () -> (racer % 2 == 0 ? first : second).inbox().receive(s.id(), text(racer), "same"));
        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
        assertThat(outcomes.stream().map(o -> o.value().seq()).distinct()).containsExactly(1L);
        assertThat(first.inbox().list(s.id(), true, 100)).hasSize(1);
    }

    @Test
    void deletingTheSessionDeletesItsMessages() {
        SessionService cli = cli();
        Session s = newSession();
        cli.inbox().receive(s.id(), text(1), "k1");
        sessions.terminate(s.id());
        sessions.delete(s.id());
        assertThat(cli.inbox().find(s.id(), 1)).isEmpty();
        assertThatThrownBy(() -> cli.inbox().list(s.id(), true, 5)).isInstanceOf(SessionNotFoundException.class);
    }

    @Test
    void aPurgeRemovesTheMessagesAndRepliesOfTheSessionsItRemoves() {
        SessionService cli = cli();
        Session old = newSession();
        Session kept = newSession();
        cli.inbox().receive(old.id(), text(1), "k1");
        Reply reply = cli.outbox().enqueue(old.id(), text(2), "r1");
        Reply keptReply = cli.outbox().enqueue(kept.id(), text(3), "r1");
        sessions.terminate(old.id());
        advance(Duration.ofDays(31));
        Maintenance maintenance = new MaintenanceService(List::of, operations(), persistence,
                new ContextJson(MAX_CONTEXT_BYTES, MAX_DEPTH));
        assertThat(maintenance.purge(new PurgeRequest(clock.instant().minus(Duration.ofDays(30)))).purged()).isEqualTo(1);
        assertThat(cli.inbox().find(old.id(), 1)).isEmpty();
        assertThat(cli.outbox().find(reply.id())).isEmpty();
        assertThat(cli.outbox().list(Optional.empty(), false, 10)).containsExactly(keptReply);
    }

    @Test
    void aListenerOnAnotherHandleHearsTheMessageOnceWithItsActor() throws Exception {
        SessionService daemon = handle(openSecondHandle(), Actor.daemon("listener"), MessagesConfig.DEFAULTS);
        SessionService cli = cli();
        Session s = sessionIn(ACTIVE);
        List<SessionEvent> heard = new CopyOnWriteArrayList<>();
        daemon.subscribe(heard::add);
        List<SessionEvent> own = new CopyOnWriteArrayList<>();
        cli.subscribe(own::add);
        InboxMessage m = cli.inbox().receive(s.id(), text(1), "k1");
        cli.inbox().receive(s.id(), text(1), "k1"); // a duplicate: nothing to tell
        Session marker = cli.create("/home/ana/code/api", "+15551234567");

        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (heard.stream().noneMatch(e -> e.sessionId().equals(marker.id())) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(heard.stream().filter(e -> e instanceof SessionEvent.MessageReceived).toList())
                .containsExactly(new SessionEvent.MessageReceived(m, Actor.CLI));
        assertThat(own.stream().filter(e -> e instanceof SessionEvent.MessageReceived).toList())
                .containsExactly(new SessionEvent.MessageReceived(m, Actor.CLI));
    }
}
