package io.claudesignal.sessions.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.domain.ForkOrigin;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.TranscriptItem;
import io.claudesignal.sessions.domain.Transition;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link io.claudesignal.sessions.application.port.in.Sessions#fork}: a new session with the parent's
 * context and items up to a number, the parent untouched, and forks racing appends.
 */
public abstract class ForkKit extends TranscriptFixture {

    // ---- fork ----

    @Test
    void aForkStartsANewSessionWithTheContextAndTheItemsUpToANumber() {
        Session parent = newSession();
        parent = sessions.mergeContext(parent.id(), "{\"model\":\"opus\",\"n\":1.50}");
        parent = sessions.activate(parent.id());
        transcripts.append(parent.id(), turn(1), "m1");
        transcripts.appendAll(parent.id(), List.of(turn(2), turn(3), turn(4), turn(5)));
        Session child = sessions.fork(parent.id(), 3);

        assertThat(child.id()).isNotEqualTo(parent.id());
        assertThat(child.status()).isEqualTo(SessionStatus.CREATED);
        assertThat(child.version()).isEqualTo(1);
        assertThat(child.projectPath()).isEqualTo(parent.projectPath());
        assertThat(child.threadId()).isEqualTo(parent.threadId());
        assertThat(child.context()).isEqualTo(parent.context());
        assertThat(child.forkedFrom()).contains(new ForkOrigin(parent.id(), 3));
        assertThat(sessions.get(child.id())).isEqualTo(child);

        List<TranscriptItem> copied = transcripts.after(child.id(), 0, 10);
        assertThat(seqs(copied)).containsExactly(1L, 2L, 3L);
        assertThat(copied.get(0).json()).isEqualTo(turn(1));
        assertThat(copied.get(0).key()).contains("m1");
        assertThat(copied.get(0).sessionId()).isEqualTo(child.id());
        assertThat(transcripts.append(child.id(), turn(4), "m1")).isEqualTo(copied.get(0));
        assertThat(transcripts.append(child.id(), "{\"role\":\"user\",\"content\":\"other\"}").seq()).isEqualTo(4);

        // The parent is untouched.
        assertThat(sessions.get(parent.id())).isEqualTo(parent);
        assertThat(sessions.get(parent.id()).forkedFrom()).isEmpty();
        assertThat(transcripts.count(parent.id())).isEqualTo(5);
        assertThat(transcripts.tail(parent.id(), 1).get(0).json()).isEqualTo(turn(5));

        List<Transition> history = sessions.history(child.id());
        assertThat(history).singleElement().satisfies(t -> {
            assertThat(t.reason()).isEqualTo(Transition.FORK);
            assertThat(t.from()).isEqualTo(SessionStatus.CREATED);
            assertThat(t.to()).isEqualTo(SessionStatus.CREATED);
        });
        // A fork lives on its own: it can be activated, and survives the parent's deletion.
        sessions.activate(child.id());
        sessions.terminate(parent.id());
        sessions.delete(parent.id());
        assertThat(transcripts.count(child.id())).isEqualTo(4);
        assertThat(sessions.get(child.id()).forkedFrom()).contains(new ForkOrigin(parent.id(), 3));
    }

    @Test
    void aForkAtZeroCopiesTheContextOnlyAndOneAtTheNewestCopiesAll() {
        Session parent = sessions.mergeContext(newSession().id(), "{\"k\":\"v\"}");
        Session empty = sessions.fork(parent.id(), 0);
        assertThat(empty.context()).isEqualTo(parent.context());
        assertThat(transcripts.count(empty.id())).isZero();
        transcripts.appendAll(parent.id(), List.of(turn(1), turn(2)));
        Session noItems = sessions.fork(parent.id(), 0);
        assertThat(transcripts.count(noItems.id())).isZero();
        assertThat(transcripts.append(noItems.id(), turn(1)).seq()).isEqualTo(1);
        Session all = sessions.fork(parent.id(), 2);
        assertThat(seqs(transcripts.tail(all.id(), 5))).containsExactly(1L, 2L);
        assertThat(transcripts.append(all.id(), turn(3)).seq()).isEqualTo(3);
    }

    @Test
    void aForkBeyondTheNewestItemIsRefused() {
        Session parent = newSession();
        assertThatThrownBy(() -> sessions.fork(parent.id(), 1)).isInstanceOf(InvalidInputException.class);
        transcripts.appendAll(parent.id(), List.of(turn(1), turn(2)));
        transcripts.popLast(parent.id());
        assertThatThrownBy(() -> sessions.fork(parent.id(), 2)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sessions.fork(parent.id(), -1)).isInstanceOf(InvalidInputException.class);
        assertThat(sessions.list(SessionQuery.all()).sessions()).hasSize(1);
    }

    // ---- races ----

    @Test
    void forksRacingAppendsCopyAConsistentPrefix() throws Exception {
        Session s = newSession();
        transcripts.appendAll(s.id(), List.of(turn(1), turn(2), turn(3)));
        Transcripts second = secondTranscripts();
        List<Race.Outcome<Session>> outcomes = Race.run(RACERS, i -> () -> {
            if (i % 2 == 0) {
                second.append(s.id(), turn(10 + i));
                return null;
            }
            return sessions.fork(s.id(), 3);
        });
        for (Race.Outcome<Session> o : outcomes) {
            assertThat(o.error()).isNull();
            if (o.value() != null) {
                assertThat(seqs(transcripts.tail(o.value().id(), 100))).containsExactly(1L, 2L, 3L);
            }
        }
        assertThat(transcripts.count(s.id())).isEqualTo(3 + RACERS / 2);
    }
}
