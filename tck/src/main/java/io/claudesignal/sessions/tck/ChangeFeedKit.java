package io.claudesignal.sessions.tck;

import static io.claudesignal.sessions.domain.SessionStatus.ACTIVE;
import static io.claudesignal.sessions.domain.SessionStatus.PAUSED;
import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
    /**
     * The writer-and-listener race: rounds of fresh sessions, each written by one thread of each
     * handle. Order breaks cluster where all threads start at once, so several short rounds show
     * today's (issue 21) on every adapter where one long round sometimes does not on SQLite.
     */
    private static final int ORDER_ROUNDS = 10;
    private static final int ORDER_SESSIONS = 4;
    private static final int ORDER_APPENDS = 40;
    /** Activities appended while the listener is blocked: three times what a session's log keeps. */
    private static final int BACKLOG_ACTIVITIES = 3 * SessionsConfig.DEFAULT_ACTIVITY_LIMIT;

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
        daemon.leases().claim(s.id());
        List<SessionEvent> heard = new CopyOnWriteArrayList<>();
        daemon.subscribe(heard::add);
        cli.pause(s.id());
        awaitUntil(heard, events -> events.stream().anyMatch(e -> e instanceof SessionEvent.LeaseLost));
        assertThat(heard).extracting(e -> e.getClass().getSimpleName()).containsExactly("Transitioned", "LeaseLost");
        assertThat(((SessionEvent.Transitioned) heard.get(0)).transition().actor()).isEqualTo(Actor.CLI);
        assertThat(daemon.leases().held(s.id())).isEmpty();
        assertThat(daemon.leases().heldLeases()).isEmpty();
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

    /**
     * What every daemon does: one handle writes and listens while another handle (another process, on
     * a database) writes the same sessions. Each session is written by one thread of each handle, so
     * the multi-thread exception of docs/events.md does not apply: per session, the handle must hear
     * every change once, in that session's commit order, its own and the other's interleaved. Item
     * numbers are that order, and every TranscriptChanged carries its items exactly, own or foreign.
     */
    @Test
    void aHandleThatWritesAndListensHearsEachSessionInItsCommitOrder() throws Exception {
        SessionService daemon = listening("feed-order");
        SessionService cli = cliHandle();
        List<SessionEvent> heard = new CopyOnWriteArrayList<>();
        // A backlog larger than the whole run: a slow machine must not earn a (legitimate) Resync here.
        daemon.subscribe(heard::add, 100_000);
        List<SessionId> ids = new ArrayList<>();
        for (int round = 0; round < ORDER_ROUNDS; round++) {
            List<SessionId> fresh = new ArrayList<>();
            for (int i = 0; i < ORDER_SESSIONS; i++) {
                fresh.add(cli.create("/home/ana/code/p" + i, "+15551234567").id());
            }
            ids.addAll(fresh);
            List<Race.Outcome<Object>> outcomes = Race.run(2 * ORDER_SESSIONS, racer -> () -> {
                SessionService writer = racer % 2 == 0 ? daemon : cli;
                SessionId id = fresh.get(racer / 2);
                for (int n = 0; n < ORDER_APPENDS; n++) {
                    writer.transcripts().append(id, "{\"racer\":" + racer + ",\"n\":" + n + "}");
                    // Lets the other handle in: a writer that never pauses can hold SQLite's lock for a
                    // whole round, and then the two handles' changes to a session do not interleave.
                    Thread.sleep(1);
                }
                return id;
            });
            assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
        }
        long each = 2L * ORDER_APPENDS;
        pollUntil(() -> ids.stream().allMatch(id -> itemsHeard(heard, id).size() >= each));
        List<String> broken = new ArrayList<>();
        for (SessionId id : ids) {
            assertThat(cli.transcripts().count(id)).isEqualTo(each);
            String problem = orderProblem(itemsHeard(heard, id), each);
            if (problem != null) {
                broken.add(id + ": " + problem);
            }
        }
        assertThat(heard).noneMatch(e -> e instanceof SessionEvent.Resync);
        assertThat(broken).as("per session, items 1..%d heard once each, in order", each).isEmpty();
    }

    /**
     * A listener blocked while another handle appends three times what a session's activity log keeps
     * is only that many changes behind, well within its backlog. It must then hear every activity, or
     * a Resync before the first one it can no longer be told: never a silent skip.
     */
    @Test
    void aListenerBehindTheActivityLimitHearsEveryActivityOrAResyncBeforeTheFirstItMisses() throws Exception {
        SessionService daemon = listening("feed-activities");
        // The default limit (100), as daemons and the CLI run with; the kit's own is 5.
        SessionService cli = new SessionService(persistence, clock, SessionIdGenerator.random(),
                new ContextJson(MAX_CONTEXT_BYTES, MAX_DEPTH),
                new SessionsConfig(Actor.CLI, LEASE, HEARTBEAT, SessionsConfig.DEFAULT_ACTIVITY_LIMIT));
        opened.add(cli);
        Session s = cli.create("/home/ana/code/webapp", "+15551234567");
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<SessionEvent> heard = new CopyOnWriteArrayList<>();
        daemon.subscribe(event -> {
            heard.add(event);
            if (heard.size() == 1) {
                blocked.countDown();
                await(release);
            }
        });
        cli.appendActivity(s.id(), "edit", "{\"n\":1}");
        assertThat(blocked.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        for (int n = 2; n <= BACKLOG_ACTIVITIES; n++) {
            cli.appendActivity(s.id(), "edit", "{\"n\":" + n + "}");
        }
        release.countDown();
        // Committed after every activity: once it is heard, the listener was told all it will be.
        Session marker = cli.create("/home/ana/code/api", "+15551234567");
        awaitUntil(heard, events -> events.stream().anyMatch(e -> e.sessionId().equals(marker.id())));

        List<String> silent = new ArrayList<>();
        long last = 0;
        boolean resynced = false;
        for (SessionEvent event : heard) {
            if (event instanceof SessionEvent.Resync) {
                resynced = true;
            } else if (event instanceof SessionEvent.ActivityAppended a) {
                long seq = a.activity().seq();
                if (seq <= last) {
                    silent.add("activity " + seq + " after " + last);
                } else if (seq > last + 1 && !resynced) {
                    silent.add("activities " + (last + 1) + ".." + (seq - 1) + " skipped without a Resync");
                }
                last = seq;
                resynced = false;
            }
        }
        if (last < BACKLOG_ACTIVITIES && !resynced) {
            silent.add("activities " + (last + 1) + ".." + BACKLOG_ACTIVITIES + " never told, and no Resync");
        }
        assertThat(silent).as("heard %s", summary(heard)).isEmpty();
    }

    /** The transcript item numbers heard for a session, in the order heard. */
    private static List<Long> itemsHeard(List<SessionEvent> heard, SessionId id) {
        return heard.stream().filter(e -> e instanceof SessionEvent.TranscriptChanged && e.sessionId().equals(id))
                .flatMap(e -> ((SessionEvent.TranscriptChanged) e).appended().stream())
                .map(TranscriptItem::seq).toList();
    }

    /** Null when {@code items} is exactly 1..n; else what is wrong, with the first order break. */
    private static String orderProblem(List<Long> items, long n) {
        if (items.equals(LongStream.rangeClosed(1, n).boxed().toList())) {
            return null;
        }
        long distinct = items.stream().distinct().count();
        int breaks = 0;
        int first = -1;
        for (int i = 1; i < items.size(); i++) {
            if (items.get(i) <= items.get(i - 1)) {
                breaks++;
                first = first < 0 ? i : first;
            }
        }
        return "heard " + items.size() + " items of " + n + ": " + breaks + " out of order, "
                + (items.size() - distinct) + " twice, " + (n - distinct) + " missing"
                + (first < 0 ? "" : "; first break: " + items.subList(Math.max(0, first - 3), Math.min(items.size(), first + 3)));
    }

    /** The events heard, short: activities by number (runs as ranges), others by kind. */
    private static String summary(List<SessionEvent> heard) {
        List<String> out = new ArrayList<>();
        long runStart = 0;
        long runEnd = 0;
        for (SessionEvent event : heard) {
            long seq = event instanceof SessionEvent.ActivityAppended a ? a.activity().seq() : 0;
            if (seq > 0 && runStart > 0 && seq == runEnd + 1) {
                runEnd = seq;
                continue;
            }
            if (runStart > 0) {
                out.add("activity " + runStart + (runEnd > runStart ? ".." + runEnd : ""));
            }
            runStart = seq;
            runEnd = seq;
            if (seq == 0) {
                out.add(event.getClass().getSimpleName());
            }
        }
        if (runStart > 0) {
            out.add("activity " + runStart + (runEnd > runStart ? ".." + runEnd : ""));
        }
        return String.join(", ", out);
    }

    /** Waits until {@code done} holds or the patience runs out; the caller's assertions say what was missing. */
    private static void pollUntil(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(300); // anything wrongly told twice or late would be here by now
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
