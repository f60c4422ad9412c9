package io.claudesignal.sessions.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.port.in.AppendReport;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.NewTranscriptItem;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Many items in one step ({@code appendAll}, {@code appendBatch}): all or none, consecutive numbers,
 * known keys skipped and counted; batches racing over two handles never interleave, and the same keys
 * from racing batches are appended once.
 */
public abstract class BatchKit extends TranscriptFixture {

    private static final int BATCH = 20;

    @Test
    void aBatchAppendsInOrderAndSkipsTheKeysTheSessionHolds() {
        Session s = newSession();
        TranscriptItem known = transcripts.append(s.id(), turn(0), "k1");
        AppendReport report = transcripts.appendBatch(s.id(), List.of(NewTranscriptItem.keyed(turn(1), "k1"),
                NewTranscriptItem.keyed(turn(2), "k2"), NewTranscriptItem.of(turn(3)),
                NewTranscriptItem.keyed(turn(4), "k2"), NewTranscriptItem.keyed(turn(5), "k3")));
        assertThat(seqs(report.appended())).containsExactly(2L, 3L, 4L);
        assertThat(report.appended()).extracting(TranscriptItem::json).containsExactly(turn(2), turn(3), turn(5));
        assertThat(report.appended()).extracting(TranscriptItem::key)
                .containsExactly(Optional.of("k2"), Optional.empty(), Optional.of("k3"));
        assertThat(report.skipped()).isEqualTo(2);
        assertThat(report.first()).contains(2L);
        assertThat(report.last()).contains(4L);
        List<TranscriptItem> stored = transcripts.after(s.id(), 0, 10);
        assertThat(stored.get(0)).isEqualTo(known);
        assertThat(stored.subList(1, 4)).isEqualTo(report.appended());
        // A retried batch appends nothing but its keyless items.
        AppendReport again = transcripts.appendBatch(s.id(), List.of(NewTranscriptItem.keyed(turn(2), "k2"),
                NewTranscriptItem.keyed(turn(5), "k3")));
        assertThat(again.appended()).isEmpty();
        assertThat(again.skipped()).isEqualTo(2);
        assertThat(again.first()).isEmpty();
        assertThat(transcripts.count(s.id())).isEqualTo(4);
    }

    @Test
    void aRefusedItemMidBatchLeavesNothingAndSpendsNoNumber() {
        Session s = newSession();
        transcripts.append(s.id(), turn(0));
        String over = "{\"t\":\"" + "x".repeat(ITEM_LIMIT) + "\"}";
        List<List<NewTranscriptItem>> refused = List.of(
                List.of(NewTranscriptItem.of(turn(1)), NewTranscriptItem.of(turn(2)), NewTranscriptItem.of("[1]"),
                        NewTranscriptItem.of(turn(4))),
                List.of(NewTranscriptItem.of(turn(1)), NewTranscriptItem.of(turn(2)), NewTranscriptItem.of(over)),
                List.of(NewTranscriptItem.keyed(turn(1), "ok"), NewTranscriptItem.keyed(turn(2), " ")));
        for (List<NewTranscriptItem> batch : refused) {
            assertThatThrownBy(() -> transcripts.appendBatch(s.id(), batch))
                    .isInstanceOfSatisfying(InvalidInputException.class, e ->
                            assertThat(e.field()).isEqualTo("items[" + (batch.size() - (batch.size() == 4 ? 2 : 1)) + "]"));
        }
        assertThatThrownBy(() -> transcripts.appendAll(s.id(), List.of(turn(1), turn(2), "{\"a\":1,\"a\":2}")))
                .isInstanceOf(InvalidInputException.class);
        assertThat(transcripts.count(s.id())).isEqualTo(1);
        assertThat(transcripts.append(s.id(), turn(1)).seq()).isEqualTo(2);
    }

    @Test
    void aBatchOfKnownKeysOnlyWritesAndTellsNothing() {
        Session s = newSession();
        transcripts.append(s.id(), turn(1), "a");
        List<SessionEvent> events = new CopyOnWriteArrayList<>();
        sessions.subscribe(events::add);
        AppendReport report = transcripts.appendBatch(s.id(), List.of(NewTranscriptItem.keyed(turn(1), "a")));
        assertThat(report.appended()).isEmpty();
        assertThat(report.skipped()).isEqualTo(1);
        assertThat(transcripts.appendBatch(s.id(), List.of()).appended()).isEmpty();
        AppendReport two = transcripts.appendBatch(s.id(), List.of(NewTranscriptItem.of(turn(2)), NewTranscriptItem.of(turn(3))));
        assertThat(events).containsExactly(new SessionEvent.TranscriptChanged(s.id(), two.appended(), 0, Actor.CLI));
        SessionId unknown = SessionId.random();
        assertThatThrownBy(() -> transcripts.appendBatch(unknown, List.of())).isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> transcripts.appendBatch(unknown, List.of(NewTranscriptItem.of(turn(1)))))
                .isInstanceOf(SessionNotFoundException.class);
    }

    @Test
    void aDaemonThatLostItsLeaseWritesNoneOfItsBatch() throws Exception {
        SessionService a = daemon("a");
        SessionService b = daemonOnSecondHandle("b");
        Session s = newSession();
        sessions.activate(s.id());
        a.leases().claim(s.id());
        clock.advanceMicros(LEASE.toNanos() / 1000 + 1);
        b.leases().claim(s.id());
        assertThatThrownBy(() -> a.transcripts().appendBatch(s.id(), List.of(NewTranscriptItem.of(turn(1)))))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> a.transcripts().appendAll(s.id(), List.of(turn(1), turn(2))))
                .isInstanceOf(LeaseLostException.class);
        assertThat(transcripts.count(s.id())).isZero();
    }

    @Test
    void racingBatchesOverTwoHandlesNeverInterleave() throws Exception {
        Session s = newSession();
        Transcripts second = secondTranscripts();
        List<Race.Outcome<List<TranscriptItem>>> outcomes = Race.run(RACERS, i -> () -> {
            Transcripts mine = i % 2 == 0 ? transcripts : second;
            List<String> batch = IntStream.range(0, BATCH).mapToObj(n -> turn(i * 1000 + n)).toList();
            // Half through appendAll, half through appendBatch: both are one step.
            return i % 4 < 2 ? mine.appendAll(s.id(), batch)
                    : mine.appendBatch(s.id(), batch.stream().map(NewTranscriptItem::of).toList()).appended();
        });
        List<Long> all = new ArrayList<>();
        for (Race.Outcome<List<TranscriptItem>> o : outcomes) {
            assertThat(o.error()).isNull();
            List<Long> mine = seqs(o.value());
            long first = mine.get(0);
            assertThat(mine).as("one batch, consecutive numbers")
                    .containsExactlyElementsOf(LongStream.range(first, first + BATCH).boxed().toList());
            all.addAll(mine);
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, (long) RACERS * BATCH).boxed().toList());
        // As stored: each run of BATCH items is one racer's batch, in its order.
        List<TranscriptItem> stored = transcripts.after(s.id(), 0, RACERS * BATCH);
        for (int from = 0; from < stored.size(); from += BATCH) {
            int racer = Integer.parseInt(stored.get(from).json().replaceAll("\\D", "")) / 1000;
            for (int n = 0; n < BATCH; n++) {
                assertThat(stored.get(from + n).json()).isEqualTo(turn(racer * 1000 + n));
            }
        }
    }

    @Test
    void racingBatchesOfTheSameKeysAppendEachKeyOnce() throws Exception {
        Transcripts second = secondTranscripts();
        for (int round = 0; round < KEY_ROUNDS; round++) {
            Session s = newSession();
            List<NewTranscriptItem> batch = IntStream.range(0, BATCH)
                    .mapToObj(n -> NewTranscriptItem.keyed(turn(n), "uuid-" + n)).toList();
            List<Race.Outcome<AppendReport>> outcomes = Race.run(RACERS, i ->
                    () -> (i % 2 == 0 ? transcripts : second).appendBatch(s.id(), batch));
            long appended = 0;
            for (Race.Outcome<AppendReport> o : outcomes) {
                assertThat(o.error()).isNull();
                appended += o.value().appended().size();
                assertThat(o.value().appended().size() + o.value().skipped()).isEqualTo(BATCH);
            }
            assertThat(appended).isEqualTo(BATCH);
            List<TranscriptItem> stored = transcripts.after(s.id(), 0, 2 * BATCH);
            assertThat(stored).extracting(i -> i.key().orElseThrow())
                    .containsExactlyElementsOf(IntStream.range(0, BATCH).mapToObj(n -> "uuid-" + n).toList());
        }
    }
}
