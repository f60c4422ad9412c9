package io.claudesignal.sessions.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.CatchUp;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The activity log and catch-up: numbered, bounded entries beside the session, and the
 * acknowledged marker.
 */
public abstract class ActivityLogKit extends Kit {

    @Test
    void activitiesAreNumberedAndBoundedToTheNewest() {
        Session s = newSession();
        for (int i = 1; i <= ACTIVITY_LIMIT + 3; i++) {
            Activity a = sessions.appendActivity(s.id(), "edit", "{\"file\":\"f" + i + ".java\"}");
            assertThat(a.seq()).isEqualTo(i);
        }
        List<Activity> log = sessions.activities(s.id());
        assertThat(log).extracting(Activity::seq).containsExactly(4L, 5L, 6L, 7L, 8L);
        assertThat(json(log.get(4).details())).isEqualTo(json("{\"file\":\"f8.java\"}"));
        assertThat(log).extracting(Activity::at).isSorted();
        assertThat(sessions.get(s.id()).version()).as("the session itself is not rewritten").isEqualTo(1);
    }

    @Test
    void catchUpSummarisesWhatHappenedSinceTheLastAcknowledgement() {
        Session s = newSession();
        assertThat(sessions.catchUp(s.id()).count()).isZero();
        assertThat(sessions.catchUp(s.id()).summary()).isEqualTo("Nothing new since you last checked.");
        sessions.appendActivity(s.id(), "edit", "{}");
        sessions.appendActivity(s.id(), "test", "{\"passed\":true}");
        sessions.appendActivity(s.id(), "edit", "{}");
        CatchUp catchUp = sessions.catchUp(s.id());
        assertThat(catchUp.count()).isEqualTo(3);
        assertThat(catchUp.summary()).isEqualTo("While you were away, Claude completed 3 operations: 2 edit, 1 test.");
        sessions.appendActivity(s.id(), "command", "{}");
        CatchUp rest = sessions.acknowledge(s.id(), catchUp.throughSeq());
        assertThat(rest.acknowledgedSeq()).isEqualTo(3);
        assertThat(rest.activities()).extracting(Activity::type).containsExactly("command");
        assertThat(sessions.activities(s.id())).as("acknowledging deletes nothing").hasSize(4);
        assertThat(sessions.acknowledge(s.id(), 1).acknowledgedSeq()).as("never back").isEqualTo(3);
        assertThat(sessions.acknowledge(s.id(), 99).acknowledgedSeq()).as("never past the newest").isEqualTo(4);
    }

    @Test
    void aCatchUpCountsWhatTheBoundedLogDropped() {
        Session s = newSession();
        for (int i = 0; i < ACTIVITY_LIMIT * 2; i++) {
            sessions.appendActivity(s.id(), "edit", "{}");
        }
        CatchUp catchUp = sessions.catchUp(s.id());
        assertThat(catchUp.count()).isEqualTo(ACTIVITY_LIMIT * 2);
        assertThat(catchUp.activities()).hasSize(ACTIVITY_LIMIT);
        assertThat(catchUp.summary()).contains("completed 10 operations").contains("5 older ones");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "nope", "{\"a\":", "{\"a\":1} {}", "\"text\""})
    void badActivityDetailsAreRefusedAndNothingIsLogged(String details) {
        Session s = newSession();
        assertThatThrownBy(() -> sessions.appendActivity(s.id(), "edit", details)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sessions.appendActivity(s.id(), " ", "{}")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sessions.appendActivity(s.id(), "x".repeat(65), "{}"))
                .isInstanceOf(InvalidInputException.class);
        assertThat(sessions.activities(s.id())).isEmpty();
        assertThatThrownBy(() -> sessions.appendActivity(SessionId.random(), "edit", "{}"))
                .isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> sessions.catchUp(SessionId.random())).isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> sessions.acknowledge(SessionId.random(), 1)).isInstanceOf(SessionNotFoundException.class);
    }

    @Test
    void concurrentAppendsGetDistinctNumbersAndLoseNothing() throws Exception {
        Sessions other = secondService();
        Session s = newSession();
        List<Race.Outcome<Activity>> outcomes = Race.run(RACERS,
                i -> () -> onHandle(i, sessions, other).appendActivity(s.id(), "edit", "{\"i\":" + i + "}"));
        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
        assertThat(outcomes.stream().map(o -> o.value().seq()).collect(Collectors.toSet()))
                .isEqualTo(LongStream.rangeClosed(1, RACERS).boxed().collect(Collectors.toSet()));
        assertThat(sessions.catchUp(s.id()).count()).isEqualTo(RACERS);
    }
}
