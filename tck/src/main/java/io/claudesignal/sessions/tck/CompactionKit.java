package io.claudesignal.sessions.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.TranscriptCompaction;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Compaction ({@code Transcripts.compact}): the oldest items replaced by one summary numbered
 * {@code throughSeq}, atomically and fenced; readers paging forward, also while another handle appends
 * and compacts, never see a number twice and never miss an item that was not compacted; keys freed;
 * listeners told, across handles too; a fork copies the summary.
 */
public abstract class CompactionKit extends TranscriptFixture {

    private static final String SUMMARY = "{\"role\":\"system\",\"content\":\"summary of the turns so far\"}";
    /**
     * Generous: on PostgreSQL a change is read once every older transaction on the server has ended
     * (docs/events.md), and other programs' tests share the server.
     */
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private Session withItems(int n) {
        Session s = newSession();
        transcripts.appendAll(s.id(), IntStream.rangeClosed(1, n).mapToObj(TranscriptFixture::turn).toList());
        return s;
    }

    @Test
    void theSummaryTakesThroughSeqAndReadingFromTheStartGivesItThenTheRest() {
        Session s = withItems(10);
        TranscriptCompaction done = transcripts.compact(s.id(), 5, SUMMARY);
        assertThat(done.removed()).isEqualTo(5);
        assertThat(done.summary().seq()).isEqualTo(5);
        assertThat(done.summary().json()).isEqualTo(SUMMARY);
        assertThat(done.summary().key()).isEmpty();
        List<TranscriptItem> read = transcripts.after(s.id(), 0, 20);
        assertThat(read.get(0)).isEqualTo(done.summary());
        assertThat(seqs(read)).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(read.get(1).json()).isEqualTo(turn(6));
        assertThat(transcripts.count(s.id())).isEqualTo(6);
        assertThat(seqs(transcripts.tail(s.id(), 2))).containsExactly(9L, 10L);
        assertThat(transcripts.append(s.id(), turn(11)).seq()).isEqualTo(11);
        // Everything: the summary alone is left, and numbering goes on.
        TranscriptCompaction all = transcripts.compact(s.id(), 11, SUMMARY);
        assertThat(all.removed()).isEqualTo(7);
        assertThat(seqs(transcripts.after(s.id(), 0, 20))).containsExactly(11L);
        assertThat(transcripts.append(s.id(), turn(12)).seq()).isEqualTo(12);
    }

    @Test
    void readersPagingForwardNeverSeeAnItemTwiceNorMissALaterOne() {
        Session s = withItems(10);
        long behind = transcripts.after(s.id(), 0, 3).get(2).seq(); // read 1..3
        long ahead = transcripts.after(s.id(), 0, 7).get(6).seq();  // read 1..7
        transcripts.compact(s.id(), 5, SUMMARY);
        transcripts.append(s.id(), turn(11));
        List<TranscriptItem> next = transcripts.after(s.id(), behind, 20);
        assertThat(seqs(next)).containsExactly(5L, 6L, 7L, 8L, 9L, 10L, 11L);
        assertThat(next.get(0).json()).isEqualTo(SUMMARY);
        assertThat(seqs(transcripts.after(s.id(), ahead, 20))).containsExactly(8L, 9L, 10L, 11L);
    }

    @Test
    void compactingAgainReplacesTheEarlierSummaryAndARetryChangesNothingElse() {
        Session s = withItems(10);
        transcripts.compact(s.id(), 5, SUMMARY);
        String second = "{\"role\":\"system\",\"content\":\"summary through 8\"}";
        TranscriptCompaction again = transcripts.compact(s.id(), 8, second);
        assertThat(again.removed()).isEqualTo(4); // the first summary and 6, 7, 8
        TranscriptCompaction retried = transcripts.compact(s.id(), 8, second);
        assertThat(retried.removed()).isEqualTo(1);
        List<TranscriptItem> read = transcripts.after(s.id(), 0, 20);
        assertThat(seqs(read)).containsExactly(8L, 9L, 10L);
        assertThat(read.get(0).json()).isEqualTo(second);
    }

    @Test
    void nonsenseIsRefusedAndChangesNothing() {
        Session s = withItems(10);
        transcripts.compact(s.id(), 5, SUMMARY);
        List<TranscriptItem> before = transcripts.after(s.id(), 0, 20);
        for (long through : new long[] {0, -1, 11, 4}) {
            assertThatThrownBy(() -> transcripts.compact(s.id(), through, SUMMARY)).as("through " + through)
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("throughSeq"));
        }
        for (String bad : List.of("[1]", "{", "{\"a\":1,\"a\":2}", "{\"t\":\"" + "x".repeat(ITEM_LIMIT) + "\"}")) {
            assertThatThrownBy(() -> transcripts.compact(s.id(), 8, bad)).isInstanceOf(InvalidInputException.class);
        }
        assertThatThrownBy(() -> transcripts.compact(s.id(), 8, null)).isInstanceOf(InvalidInputException.class);
        assertThat(transcripts.after(s.id(), 0, 20)).isEqualTo(before);
        Session empty = newSession();
        assertThatThrownBy(() -> transcripts.compact(empty.id(), 1, SUMMARY)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> transcripts.compact(SessionId.random(), 1, SUMMARY))
                .isInstanceOf(SessionNotFoundException.class);
    }

    @Test
    void theKeysOfCompactedItemsAreFreeAgain() {
        Session s = newSession();
        transcripts.append(s.id(), turn(1), "m1");
        transcripts.append(s.id(), turn(2), "m2");
        transcripts.compact(s.id(), 1, SUMMARY);
        assertThat(transcripts.append(s.id(), turn(1), "m1").seq()).isEqualTo(3);
        assertThat(transcripts.append(s.id(), turn(9), "m2").seq()).isEqualTo(2); // still held: found
    }

    @Test
    void aForkAfterACompactionCopiesTheSummary() {
        Session s = withItems(10);
        TranscriptCompaction done = transcripts.compact(s.id(), 5, SUMMARY);
        Session child = sessions.fork(s.id(), 7);
        List<TranscriptItem> copied = transcripts.after(child.id(), 0, 20);
        assertThat(seqs(copied)).containsExactly(5L, 6L, 7L);
        assertThat(copied.get(0).json()).isEqualTo(done.summary().json());
        assertThat(seqs(transcripts.after(sessions.fork(s.id(), 5).id(), 0, 20))).containsExactly(5L);
    }

    @Test
    void aDaemonThatLostItsLeaseCannotCompact() throws Exception {
        SessionService a = daemon("a");
        SessionService b = daemonOnSecondHandle("b");
        Session s = withItems(4);
        sessions.activate(s.id());
        a.leases().claim(s.id());
        clock.advanceMicros(LEASE.toNanos() / 1000 + 1);
        b.leases().claim(s.id());
        assertThatThrownBy(() -> a.transcripts().compact(s.id(), 2, SUMMARY)).isInstanceOf(LeaseLostException.class);
        assertThat(seqs(transcripts.after(s.id(), 0, 10))).containsExactly(1L, 2L, 3L, 4L);
        assertThat(b.transcripts().compact(s.id(), 2, SUMMARY).removed()).isEqualTo(2);
    }

    @Test
    void listenersHearTheCompactionHereAndOnAnotherHandle() throws Exception {
        Session s = withItems(6);
        List<SessionEvent> here = new CopyOnWriteArrayList<>();
        List<SessionEvent> there = new CopyOnWriteArrayList<>();
        sessions.subscribe(here::add);
        SessionService other = service(openSecondHandle(), SessionIdGenerator.random(), Actor.daemon("listener"));
        try {
            other.subscribe(there::add);
            TranscriptCompaction done = transcripts.compact(s.id(), 4, SUMMARY);
            SessionEvent expected = new SessionEvent.TranscriptCompacted(s.id(), 4, Optional.of(done.summary()), 4, Actor.CLI);
            assertThat(here).containsExactly(expected);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (there.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(300); // anything wrongly told twice would be here by now
            assertThat(there).containsExactly(expected);
        } finally {
            other.close();
        }
    }

    @Test
    void anotherHandleHearsEachOfTwoCompactionsInOrderTheFirstSummaryAsItStillIs() throws Exception {
        Session s = withItems(6);
        List<SessionEvent> there = new CopyOnWriteArrayList<>();
        SessionService other = service(openSecondHandle(), SessionIdGenerator.random(), Actor.daemon("listener"));
        try {
            other.subscribe(there::add);
            transcripts.compact(s.id(), 4, SUMMARY);
            TranscriptCompaction second = transcripts.compact(s.id(), 5, SUMMARY);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (there.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(300); // anything wrongly told twice would be here by now
            assertThat(there).hasSize(2);
            SessionEvent.TranscriptCompacted first = (SessionEvent.TranscriptCompacted) there.get(0);
            assertThat(first.throughSeq()).isEqualTo(4);
            assertThat(first.removed()).isEqualTo(4);
            // Built when read: the first summary, or nothing when the second compaction had replaced it.
            first.summary().ifPresent(summary -> assertThat(summary.seq()).isEqualTo(4));
            assertThat(there.get(1)).isEqualTo(new SessionEvent.TranscriptCompacted(s.id(), 5,
                    Optional.of(second.summary()), 2, Actor.CLI));
        } finally {
            other.close();
        }
    }

    @Test
    void aReaderPagingWhileAnotherHandleAppendsAndCompactsNeverRereadsNorMisses() throws Exception {
        Session s = withItems(5);
        Transcripts writer = secondTranscripts();
        int appends = 300;
        String last = "{\"role\":\"user\",\"content\":\"the end\"}";
        List<Race.Outcome<List<Long>>> outcomes = Race.run(2, racer -> () -> {
            if (racer == 0) {
                for (int n = 0; n < appends; n++) {
                    TranscriptItem item = writer.append(s.id(), turn(100 + n));
                    if (n % 25 == 24) {
                        writer.compact(s.id(), item.seq() - 3, SUMMARY);
                    }
                }
                writer.append(s.id(), last);
                return List.of();
            }
            List<Long> seen = new ArrayList<>();
            long after = 0;
            while (true) {
                List<TranscriptItem> page = transcripts.after(s.id(), after, 7);
                for (TranscriptItem item : page) {
                    seen.add(item.seq());
                    after = item.seq();
                    if (item.json().equals(last)) {
                        return seen;
                    }
                }
                if (page.isEmpty()) {
                    Thread.sleep(1);
                }
            }
        });
        outcomes.forEach(o -> assertThat(o.error()).isNull());
        List<Long> seen = outcomes.get(1).value();
        assertThat(seen).as("never a number twice, always forward").isSorted().doesNotHaveDuplicates();
        List<TranscriptItem> kept = transcripts.after(s.id(), 0, appends + 10);
        long summary = kept.get(0).seq();
        assertThat(kept.get(0).json()).isEqualTo(SUMMARY);
        assertThat(seen).as("every item never compacted was read")
                .containsAll(seqs(kept).stream().filter(seq -> seq > summary).toList());
        assertThat(seqs(kept)).containsExactlyElementsOf(LongStream.rangeClosed(summary, appends + 6).boxed().toList());
    }
}
