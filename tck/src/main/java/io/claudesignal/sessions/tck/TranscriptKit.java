package io.claudesignal.sessions.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The conversation transcript through the {@link Transcripts} API: numbering, windows, idempotent
 * appends, refusals, fencing, listeners, and the races (16 threads appending to one session over two
 * handles get 1..N with no gap or duplicate; the same key from 16 threads appends once). Forks are
 * in {@link ForkKit}.
 */
public abstract class TranscriptKit extends TranscriptFixture {

    // ---- appending and reading ----

    @Test
    void itemsAreNumberedFromOneAndKeptByteForByte() {
        Session s = newSession();
        String exact = "{ \"z\": 1.50, \"a\" : [1e3, -0.0], \"t\": \"\\u00e9\\n\", \"n\": null }";
        TranscriptItem first = transcripts.append(s.id(), exact);
        TranscriptItem second = transcripts.append(s.id(), turn(2));
        assertThat(first.seq()).isEqualTo(1);
        assertThat(second.seq()).isEqualTo(2);
        assertThat(first.key()).isEmpty();
        assertThat(first.sessionId()).isEqualTo(s.id());
        List<TranscriptItem> read = transcripts.after(s.id(), 0, 10);
        assertThat(read).containsExactly(first, second);
        assertThat(read.get(0).json()).isEqualTo(exact);
        assertThat(transcripts.count(s.id())).isEqualTo(2);
    }

    @Test
    void aNewSessionHasAnEmptyTranscript() {
        Session s = newSession();
        assertThat(transcripts.count(s.id())).isZero();
        assertThat(transcripts.tail(s.id(), 5)).isEmpty();
        assertThat(transcripts.after(s.id(), 0, 5)).isEmpty();
        assertThat(transcripts.popLast(s.id())).isEmpty();
        assertThat(transcripts.clear(s.id())).isZero();
    }

    @Test
    void tailGivesTheNewestOldestFirstAndAfterPagesForward() {
        Session s = newSession();
        List<TranscriptItem> all = transcripts.appendAll(s.id(),
                IntStream.rangeClosed(1, 10).mapToObj(TranscriptFixture::turn).toList());
        assertThat(seqs(all)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(seqs(transcripts.tail(s.id(), 3))).containsExactly(8L, 9L, 10L);
        assertThat(seqs(transcripts.tail(s.id(), 50))).hasSize(10).startsWith(1L).endsWith(10L);
        List<Long> paged = new ArrayList<>();
        long after = 0;
        while (true) {
            List<TranscriptItem> page = transcripts.after(s.id(), after, 4);
            if (page.isEmpty()) {
                break;
            }
            paged.addAll(seqs(page));
            after = page.get(page.size() - 1).seq();
        }
        assertThat(paged).containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
        assertThat(transcripts.after(s.id(), 10, 5)).isEmpty();
        assertThat(transcripts.tail(s.id(), 1).get(0).json()).isEqualTo(turn(10));
    }

    @Test
    void transcriptsOfDifferentSessionsAreNumberedApart() {
        Session a = newSession();
        Session b = newSession();
        transcripts.append(a.id(), turn(1));
        transcripts.append(a.id(), turn(2));
        assertThat(transcripts.append(b.id(), turn(1)).seq()).isEqualTo(1);
        assertThat(transcripts.count(a.id())).isEqualTo(2);
        assertThat(transcripts.count(b.id())).isEqualTo(1);
    }

    @Test
    void popAndClearNeverGiveANumberOutAgain() {
        Session s = newSession();
        transcripts.appendAll(s.id(), List.of(turn(1), turn(2), turn(3)));
        Optional<TranscriptItem> popped = transcripts.popLast(s.id());
        assertThat(popped).map(TranscriptItem::seq).contains(3L);
        assertThat(popped.get().json()).isEqualTo(turn(3));
        assertThat(transcripts.append(s.id(), turn(4)).seq()).isEqualTo(4);
        assertThat(seqs(transcripts.tail(s.id(), 10))).containsExactly(1L, 2L, 4L);
        assertThat(transcripts.clear(s.id())).isEqualTo(3);
        assertThat(transcripts.count(s.id())).isZero();
        assertThat(transcripts.popLast(s.id())).isEmpty();
        assertThat(transcripts.append(s.id(), turn(5)).seq()).isEqualTo(5);
    }

    @Test
    void appendAllIsOneStepWithConsecutiveNumbers() {
        Session s = newSession();
        transcripts.append(s.id(), turn(0));
        assertThatThrownBy(() -> transcripts.appendAll(s.id(), List.of(turn(1), "[1]", turn(3))))
                .isInstanceOf(InvalidInputException.class);
        assertThat(transcripts.count(s.id())).isEqualTo(1);
        assertThat(seqs(transcripts.appendAll(s.id(), List.of(turn(1), turn(2))))).containsExactly(2L, 3L);
        assertThat(transcripts.appendAll(s.id(), List.of())).isEmpty();
    }

    @Test
    void appendAllTakesMoreItemsThanOneStatementCanBind() {
        Session s = newSession();
        int many = 15_000; // 75,000 values: over SQLite's and PostgreSQL's limits of bound parameters
        List<TranscriptItem> all = transcripts.appendAll(s.id(), IntStream.range(0, many).mapToObj(i -> "{}").toList());
        assertThat(all).hasSize(many);
        assertThat(all.get(many - 1).seq()).isEqualTo(many);
        assertThat(transcripts.count(s.id())).isEqualTo(many);
        assertThat(seqs(transcripts.tail(s.id(), 2))).containsExactly((long) many - 1, (long) many);
    }

    // ---- idempotent appends ----

    @Test
    void anAppendWithAKnownKeyReturnsTheStoredItemAndWritesNothing() {
        Session s = newSession();
        TranscriptItem first = transcripts.append(s.id(), turn(1), "signal-msg-1");
        assertThat(first.key()).contains("signal-msg-1");
        clock.advanceMicros(5_000);
        TranscriptItem again = transcripts.append(s.id(), turn(99), "signal-msg-1");
        assertThat(again).isEqualTo(first);
        assertThat(transcripts.count(s.id())).isEqualTo(1);
        assertThat(transcripts.append(s.id(), turn(2), "signal-msg-2").seq()).isEqualTo(2);
        // Keys are per session.
        Session other = newSession();
        assertThat(transcripts.append(other.id(), turn(1), "signal-msg-1").seq()).isEqualTo(1);
    }

    @Test
    void aKeyIsRefusedWhenBlankOrTooLong() {
        Session s = newSession();
        assertThatThrownBy(() -> transcripts.append(s.id(), turn(1), " ")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> transcripts.append(s.id(), turn(1), "k".repeat(TranscriptItem.MAX_KEY_LENGTH + 1)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> transcripts.append(s.id(), turn(1), "a\nb")).isInstanceOf(InvalidInputException.class);
        assertThat(transcripts.count(s.id())).isZero();
    }

    // ---- refusals ----

    @Test
    void onlyOneJsonObjectWithinTheLimitIsAccepted() {
        Session s = newSession();
        for (String bad : List.of("[]", "\"text\"", "42", "{", "{} {}", "{\"a\":1,\"a\":2}", "", "null")) {
            assertThatThrownBy(() -> transcripts.append(s.id(), bad)).as(bad).isInstanceOf(InvalidInputException.class);
        }
        assertThatThrownBy(() -> transcripts.append(s.id(), null)).isInstanceOf(InvalidInputException.class);
        String atLimit = "{\"t\":\"" + "x".repeat(ITEM_LIMIT - 8) + "\"}";
        assertThat(atLimit.length()).isEqualTo(ITEM_LIMIT);
        assertThat(transcripts.append(s.id(), atLimit).json()).isEqualTo(atLimit);
        String over = "{\"t\":\"" + "é".repeat(ITEM_LIMIT / 2) + "\"}";
        assertThatThrownBy(() -> transcripts.append(s.id(), over)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("limit");
        assertThat(transcripts.count(s.id())).isEqualTo(1);
    }

    @Test
    void windowsRefuseNonsenseBounds() {
        Session s = newSession();
        assertThatThrownBy(() -> transcripts.tail(s.id(), 0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> transcripts.after(s.id(), -1, 5)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> transcripts.after(s.id(), 0, 0)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void everyMethodRefusesAnUnknownSession() {
        SessionId unknown = SessionId.random();
        List<Consumer<SessionId>> calls = List.of(
                id -> transcripts.append(id, turn(1)),
                id -> transcripts.append(id, turn(1), "k"),
                id -> transcripts.appendAll(id, List.of(turn(1))),
                id -> transcripts.appendAll(id, List.of()),
                id -> transcripts.tail(id, 5),
                id -> transcripts.after(id, 0, 5),
                id -> transcripts.popLast(id),
                id -> transcripts.clear(id),
                id -> transcripts.count(id),
                id -> sessions.fork(id, 0));
        for (Consumer<SessionId> call : calls) {
            assertThatThrownBy(() -> call.accept(unknown)).isInstanceOf(SessionNotFoundException.class);
        }
    }

    @Test
    void deletingASessionDeletesItsTranscript() {
        Session s = newSession();
        transcripts.appendAll(s.id(), List.of(turn(1), turn(2)));
        sessions.terminate(s.id());
        sessions.delete(s.id());
        assertThatThrownBy(() -> transcripts.count(s.id())).isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> transcripts.tail(s.id(), 5)).isInstanceOf(SessionNotFoundException.class);
    }

    // ---- fencing and listeners ----

    @Test
    void aDaemonThatLostItsLeaseCannotWriteTheTranscript() throws Exception {
        SessionService a = daemon("a");
        SessionService b = daemonOnSecondHandle("b");
        Session s = newSession();
        sessions.activate(s.id());
        a.leases().claim(s.id());
        assertThat(a.transcripts().append(s.id(), turn(1)).seq()).isEqualTo(1);
        clock.advanceMicros(LEASE.toNanos() / 1000 + 1);
        b.leases().claim(s.id());
        assertThatThrownBy(() -> a.transcripts().append(s.id(), turn(2))).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> a.transcripts().popLast(s.id())).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> a.transcripts().clear(s.id())).isInstanceOf(LeaseLostException.class);
        assertThat(b.transcripts().append(s.id(), turn(2)).seq()).isEqualTo(2);
        assertThat(transcripts.count(s.id())).isEqualTo(2);
    }

    @Test
    void listenersHearOfEveryChangeAfterItCommitted() {
        Session s = newSession();
        List<SessionEvent> events = new CopyOnWriteArrayList<>();
        sessions.subscribe(events::add);
        TranscriptItem item = transcripts.append(s.id(), turn(1), "k1");
        transcripts.append(s.id(), turn(1), "k1"); // found its key: nothing new to tell
        transcripts.popLast(s.id());
        Session child = sessions.fork(s.id(), 0);
        assertThat(events).hasSize(3);
        assertThat(events.get(0)).isEqualTo(new SessionEvent.TranscriptChanged(s.id(), List.of(item), 0, Actor.CLI));
        assertThat(events.get(1)).isEqualTo(new SessionEvent.TranscriptChanged(s.id(), List.of(), 1, Actor.CLI));
        assertThat(events.get(2)).isEqualTo(new SessionEvent.Forked(child, Actor.CLI));
    }

    // ---- races ----


    @Test
    void concurrentAppendsToOneSessionGetEveryNumberOnce() throws Exception {
        Session s = newSession();
        Transcripts second = secondTranscripts();
        int each = 10;
        List<Race.Outcome<List<Long>>> outcomes = Race.run(RACERS, i -> () -> {
            Transcripts mine = i % 2 == 0 ? transcripts : second;
            List<Long> got = new ArrayList<>();
            for (int n = 0; n < each; n++) {
                got.add(mine.append(s.id(), turn(i * 100 + n)).seq());
            }
            return got;
        });
        List<Long> all = new ArrayList<>();
        for (Race.Outcome<List<Long>> o : outcomes) {
            assertThat(o.error()).isNull();
            all.addAll(o.value());
        }
        List<Long> expected = LongStream.rangeClosed(1, (long) RACERS * each).boxed().toList();
        assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(seqs(transcripts.after(s.id(), 0, RACERS * each + 1))).containsExactlyElementsOf(expected);
        for (Race.Outcome<List<Long>> o : outcomes) {
            assertThat(o.value()).isSorted(); // one caller's appends keep its order
        }
    }

    @Test
    void theSameKeyFromManyThreadsAppendsOnce() throws Exception {
        Transcripts second = secondTranscripts();
        for (int round = 0; round < KEY_ROUNDS; round++) {
            Session s = newSession();
            String key = "delivery-" + round;
            List<Race.Outcome<TranscriptItem>> outcomes = Race.run(RACERS, i -> () ->
                    (i % 2 == 0 ? transcripts : second).append(s.id(), turn(i), key));
            TranscriptItem stored = transcripts.tail(s.id(), 5).get(0);
            for (Race.Outcome<TranscriptItem> o : outcomes) {
                assertThat(o.error()).isNull();
                assertThat(o.value()).isEqualTo(stored);
            }
            assertThat(transcripts.count(s.id())).isEqualTo(1);
        }
    }
}
