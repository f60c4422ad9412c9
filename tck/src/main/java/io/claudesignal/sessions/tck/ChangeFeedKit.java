package io.claudesignal.sessions.tck;

import static io.claudesignal.sessions.domain.SessionStatus.ACTIVE;
import static io.claudesignal.sessions.domain.SessionStatus.PAUSED;
import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The change feed across handles: a listener on one handle hears what another handle (another
 * process, on a database) committed, once each, in commit order per session, with the actor; its own
 * changes once; and a resync instead of a silent gap when it falls behind.
 */
public abstract class ChangeFeedKit extends Kit {

    /** Generous: the feed's bound is a fraction of a second, a loaded build machine is slow. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<SessionService> opened = new ArrayList<>();

    @AfterEach
    final void stopFollowing() {
        opened.forEach(SessionService::close);
    }

    private SessionService listening(String daemonName) throws Exception {
        SessionService daemon = daemonOnSecondHandle(daemonName);
        opened.add(daemon);
        return daemon;
    }

    private SessionService cliHandle() throws Exception {
        SessionService cli = service(persistence, SessionIdGenerator.random(), Actor.CLI);
        opened.add(cli);
        return cli;
    }

    @Test
    void aListenerHearsWhatAnotherHandleCommittedOnceEachInOrderWithItsActor() throws Exception {
        SessionService daemon = listening("feed-a");
        SessionService cli = cliHandle();
        List<SessionEvent> heard = new CopyOnWriteArrayList<>();
        daemon.subscribe(heard::add);
        Session first = cli.create("/home/ana/code/webapp", "+15551234567");
        Session second = cli.create("/home/ana/code/api", "+15551234567");
        cli.activate(first.id());
        cli.mergeContext(second.id(), "{\"a\":1}");
        cli.mergeContext(first.id(), "{\"b\":2}");
        cli.appendActivity(first.id(), "edit", "{\"file\":\"x\"}");
        cli.pause(first.id());
        cli.mergeContext(second.id(), "{\"a\":2}");

        awaitUntil(heard, events -> events.size() >= 8);
        assertThat(heard).hasSize(8);
        assertThat(ofSession(heard, first.id())).extracting(e -> e.getClass().getSimpleName()).containsExactly(
                "Created", "Transitioned", "ContextChanged", "ActivityAppended", "Transitioned");
        assertThat(ofSession(heard, second.id())).extracting(e -> e.getClass().getSimpleName()).containsExactly(
                "Created", "ContextChanged", "ContextChanged");
        SessionEvent.Transitioned paused = (SessionEvent.Transitioned) ofSession(heard, first.id()).get(4);
        assertThat(paused.transition().from()).isEqualTo(ACTIVE);
        assertThat(paused.transition().to()).isEqualTo(PAUSED);
        assertThat(paused.transition().actor()).isEqualTo(Actor.CLI);
        assertThat(((SessionEvent.Created) heard.get(0)).actor()).isEqualTo(Actor.CLI);
        assertThat(((SessionEvent.ActivityAppended) ofSession(heard, first.id()).get(3)).activity().type())
                .isEqualTo("edit");
    }

    @Test
    void aHandleHearsItsOwnChangesOnceAndTheOthersToo() throws Exception {
        SessionService daemon = listening("feed-b");
        SessionService cli = cliHandle();
        List<SessionEvent> heard = new CopyOnWriteArrayList<>();
        daemon.subscribe(heard::add);
        Session own = daemon.create("/home/ana/code/webapp", "+15551234567");
        daemon.activate(own.id());
        Session marker = cli.create("/home/ana/code/api", "+15551234567");
        // The marker was committed after the own changes: once it is heard, they were read past too.
        awaitUntil(heard, events -> events.stream().anyMatch(e -> e.sessionId().equals(marker.id())));
        assertThat(ofSession(heard, own.id())).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("Created", "Transitioned");
        assertThat(((SessionEvent.Created) ofSession(heard, own.id()).get(0)).actor()).isEqualTo(daemon.config().actor());
        assertThat(ofSession(heard, marker.id())).hasSize(1);
    }

    @Test
    void aDaemonHearsThatThePersonPausedItsSessionAndForgetsTheLease() throws Exception {
        SessionService daemon = listening("feed-c");
        SessionService cli = cliHandle();
        Session s = daemon.create("/home/ana/code/webapp", "+15551234567");
        daemon.activate(s.id());
        daemon.claim(s.id());
        List<SessionEvent> heard = new CopyOnWriteArrayList<>();
        daemon.subscribe(heard::add);
        cli.pause(s.id());
        awaitUntil(heard, events -> events.stream().anyMatch(e -> e instanceof SessionEvent.LeaseLost));
        assertThat(heard).extracting(e -> e.getClass().getSimpleName()).containsExactly("Transitioned", "LeaseLost");
        assertThat(((SessionEvent.Transitioned) heard.get(0)).transition().actor()).isEqualTo(Actor.CLI);
        assertThat(daemon.held(s.id())).isEmpty();
        assertThat(daemon.heldLeases()).isEmpty();
    }

    @Test
    void aListenerThatFallsBehindGetsAResyncThenTheChangesAfterIt() throws Exception {
        SessionService daemon = listening("feed-d");
        SessionService cli = cliHandle();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        List<SessionEvent> heard = new CopyOnWriteArrayList<>();
        daemon.subscribe(event -> {
            heard.add(event);
            if (heard.size() == 1) {
                blocked.countDown();
                await(release);
            }
        }, 3);
        Session s = cli.create("/home/ana/code/webapp", "+15551234567");
        assertThat(blocked.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 10; i++) {
            cli.mergeContext(s.id(), "{\"n\":" + i + "}");
        }
        release.countDown();
        // Made once the resync is told, so that it is a change after the skipped ones.
        awaitUntil(heard, events -> events.stream().anyMatch(e -> e instanceof SessionEvent.Resync));
        Session last = cli.create("/home/ana/code/api", "+15551234567");
        awaitUntil(heard, events -> events.stream().anyMatch(e -> e.sessionId().equals(last.id())));
        assertThat(heard.get(0)).isInstanceOf(SessionEvent.Created.class);
        assertThat(heard).filteredOn(e -> e instanceof SessionEvent.Resync).hasSize(1);
        SessionEvent.Resync resync = (SessionEvent.Resync) heard.stream()
                .filter(e -> e instanceof SessionEvent.Resync).findFirst().orElseThrow();
        assertThat(resync.reason()).isEqualTo("backlog");
        assertThat(resync.sessionId()).isEqualTo(SessionEvent.Resync.EVERY_SESSION);
        // What was skipped is not told after the resync; what came after it is, once.
        assertThat(heard.subList(heard.indexOf(resync), heard.size()))
                .filteredOn(e -> e.sessionId().equals(last.id())).hasSize(1);
        assertThat(heard).filteredOn(e -> e instanceof SessionEvent.ContextChanged).hasSizeLessThan(10);
    }

    @Test
    void aClosedSubscriptionHearsNothingMore() throws Exception {
        SessionService daemon = listening("feed-e");
        SessionService cli = cliHandle();
        List<SessionEvent> stopped = new CopyOnWriteArrayList<>();
        List<SessionEvent> going = new CopyOnWriteArrayList<>();
        daemon.subscribe(stopped::add).close();
        daemon.subscribe(going::add);
        Session s = cli.create("/home/ana/code/webapp", "+15551234567");
        awaitUntil(going, events -> !events.isEmpty());
        assertThat(going).extracting(SessionEvent::sessionId).containsExactly(s.id());
        assertThat(stopped).isEmpty();
    }

    private static List<SessionEvent> ofSession(List<SessionEvent> events, SessionId id) {
        return events.stream().filter(e -> e.sessionId().equals(id)).toList();
    }

    private static void awaitUntil(List<SessionEvent> events, Predicate<List<SessionEvent>> done) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!done.test(List.copyOf(events))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not heard within " + PATIENCE + "; heard " + events);
            }
            Thread.sleep(10);
        }
        Thread.sleep(300); // anything wrongly told twice or late would be here by now
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
