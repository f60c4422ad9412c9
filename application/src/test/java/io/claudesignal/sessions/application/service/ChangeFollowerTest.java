package io.claudesignal.sessions.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.in.SessionListener;
import io.claudesignal.sessions.application.port.in.Subscription;
import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.ChangeFeed;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The follower's bookkeeping against a scripted log: a log pruned past its position is a resync, not a
 * gap; rows of its own handle are skipped; the thread is a daemon thread and ends with the handle.
 */
class ChangeFollowerTest {

    private static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");
    private static final Actor OTHER = Actor.daemon("other");

    /** A log in memory whose oldest rows the test can drop, as the writers' pruning does. */
    private static final class ScriptedLog implements ChangeFeed {
        private final List<Change> rows = new CopyOnWriteArrayList<>();
        private volatile long head;

        synchronized void append(boolean own) {
            head++;
            rows.add(Change.Entry.of(SessionId.random(), Change.Kind.CREATED,
                    WriteContext.by(OTHER, AT)).at(head, own));
        }

        synchronized void pruneThrough(long seq) {
            rows.removeIf(c -> c.seq() <= seq);
        }

        @Override
        public Reader reader() {
            synchronized (this) {
                return new Reader() {
                    private long cursor = head;

                    @Override
                    public Page next(int limit) {
                        synchronized (ScriptedLog.this) {
                            OptionalLong pruned = OptionalLong.empty();
                            if (!rows.isEmpty() && rows.get(0).seq() > cursor + 1) {
                                cursor = rows.get(0).seq() - 1;
                                pruned = OptionalLong.of(cursor);
                            }
                            List<Change> page = rows.stream().filter(c -> c.seq() > cursor).limit(limit).toList();
                            if (!page.isEmpty()) {
                                cursor = page.get(page.size() - 1).seq();
                            }
                            return new Page(page, pruned);
                        }
                    }

                    @Override
                    public List<Change> through(SessionId session, long writeId) {
                        return List.of();
                    }

                    @Override
                    public long head() {
                        return head;
                    }

                    @Override
                    public long position() {
                        return cursor;
                    }
                };
            }
        }

        @Override
        public Watch watch() {
            return new Watch() {
                @Override
                public void await(Duration timeout) throws InterruptedException {
                    Thread.sleep(10);
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private static List<SessionEvent> created(Change c) {
        return List.of(new SessionEvent.Created(Session.create(c.sessionId(), "/p", "t", c.at()), c.actor()));
    }

    @Test
    void aLogPrunedPastThePositionIsAResyncThenTheRest() throws Exception {
        ScriptedLog log = new ScriptedLog();
        log.append(false);
        ChangeFollower follower = new ChangeFollower(log, ChangeFollowerTest::created);
        List<SessionEvent> heard = new CopyOnWriteArrayList<>();
        CountingListener gate = new CountingListener(heard);
        synchronized (log) { // the follower starts at head 1; rows 2..4 are pruned before it reads them
            follower.subscribe(gate, 1_000);
            for (int i = 0; i < 5; i++) {
                log.append(false);
            }
            log.pruneThrough(4);
        }
        awaitUntil(heard, events -> events.size() >= 3);
        assertThat(heard).hasSize(3);
        assertThat(heard.get(0)).isEqualTo(new SessionEvent.Resync(4, "pruned"));
        assertThat(heard.subList(1, 3)).allSatisfy(e -> assertThat(e).isInstanceOf(SessionEvent.Created.class));
        follower.close();
    }

    @Test
    void rowsOfItsOwnHandleAreNotToldAgainAndTheThreadEndsOnClose() throws Exception {
        ScriptedLog log = new ScriptedLog();
        ChangeFollower follower = new ChangeFollower(log, ChangeFollowerTest::created);
        List<SessionEvent> heard = new CopyOnWriteArrayList<>();
        Subscription subscription = follower.subscribe(heard::add, 1_000);
        assertThat(follower.threadRunning()).isTrue();
        Thread feed = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("sessions-change-feed")).findFirst().orElseThrow();
        assertThat(feed.isDaemon()).isTrue();
        log.append(true);
        log.append(false);
        log.append(true);
        log.append(false);
        awaitUntil(heard, events -> events.size() >= 2);
        assertThat(heard).hasSize(2);
        subscription.close();
        follower.close();
        assertThat(follower.threadRunning()).isFalse();
        assertThat(feed.isAlive()).isFalse();
    }

    /** A listener that only records. */
    private record CountingListener(List<SessionEvent> heard) implements SessionListener {
        @Override
        public void on(SessionEvent event) {
            heard.add(event);
        }
    }

    private static void awaitUntil(List<SessionEvent> events, Predicate<List<SessionEvent>> done) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!done.test(new ArrayList<>(events))) {
            assertThat(System.nanoTime()).as("heard in time: " + events).isLessThan(deadline);
            Thread.sleep(10);
        }
        Thread.sleep(200); // anything told twice would be here by now
    }
}
