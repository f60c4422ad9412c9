package io.claudesignal.sessions.tck;

import static io.claudesignal.sessions.domain.SessionStatus.ACTIVE;
import static io.claudesignal.sessions.domain.SessionStatus.PAUSED;
import static io.claudesignal.sessions.domain.SessionStatus.TERMINATED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.StaleVersionException;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Races between threads on both handles: a check and its write are one step, so exactly one
 * racer wins a conditional write and no unconditional write is lost.
 */
public abstract class RacesKit extends Kit {

    @Test
    void racingTheSameTransitionExactlyOneWins() throws Exception {
        Sessions other = secondService();
        for (int round = 0; round < ROUNDS; round++) {
            Session s = sessionIn(ACTIVE);
            List<Race.Outcome<Session>> outcomes = Race.run(RACERS,
                    i -> () -> onHandle(i, sessions, other).transition(s.id(), ACTIVE, i % 2 == 0 ? PAUSED : TERMINATED));
            assertThat(outcomes.stream().filter(Race.Outcome::won)).as("winners in round " + round).hasSize(1);
            assertThat(outcomes.stream().filter(o -> !o.won()).map(Race.Outcome::error))
                    .allSatisfy(e -> assertThat(e).isInstanceOf(StatusMismatchException.class));
            Session winner = outcomes.stream().filter(Race.Outcome::won).findFirst().orElseThrow().value();
            assertThat(sessions.get(s.id())).isEqualTo(winner);
            assertThat(winner.version()).isEqualTo(s.version() + 1);
        }
    }

    @Test
    void racingIdempotentTransitionsFromTheCurrentStatusLosesNoVersion() throws Exception {
        Sessions other = secondService();
        for (int round = 0; round < ROUNDS; round++) {
            Session s = sessionIn(ACTIVE);
            List<Race.Outcome<Session>> outcomes = Race.run(RACERS,
                    i -> () -> onHandle(i, sessions, other).transition(s.id(), PAUSED));
            assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
            assertThat(outcomes.stream().map(o -> o.value().version()).collect(Collectors.toSet()))
                    .as("every racer wrote its own version").hasSize(RACERS);
            assertThat(sessions.get(s.id()).version()).isEqualTo(s.version() + RACERS);
        }
    }

    @Test
    void mergingDifferentKeysAtOnceLosesNoKey() throws Exception {
        Sessions other = secondService();
        for (int round = 0; round < ROUNDS; round++) {
            Session s = newSession();
            List<Race.Outcome<Session>> outcomes = Race.run(RACERS,
                    i -> () -> onHandle(i, sessions, other).mergeContext(s.id(), "{\"k" + i + "\":" + i + "}"));
            assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
            Session after = sessions.get(s.id());
            JsonNode context = json(after.context());
            for (int i = 0; i < RACERS; i++) {
                assertThat(context.get("k" + i)).as("key k" + i + " in round " + round).isNotNull();
            }
            assertThat(after.version()).isEqualTo(1 + RACERS);
        }
    }

    @Test
    void racingWritesAgainstTheSameVersionExactlyOneWins() throws Exception {
        Sessions other = secondService();
        for (int round = 0; round < ROUNDS; round++) {
            Session s = newSession();
            List<Race.Outcome<Session>> outcomes = Race.run(RACERS,
                    i -> () -> onHandle(i, sessions, other).mergeContext(s.id(), "{\"winner\":" + i + "}", 1));
            assertThat(outcomes.stream().filter(Race.Outcome::won)).hasSize(1);
            assertThat(outcomes.stream().filter(o -> !o.won()).map(Race.Outcome::error))
                    .allSatisfy(e -> assertThat(e).isInstanceOf(StaleVersionException.class));
        }
    }

    @Test
    void readModifyWriteCountersLoseNoIncrement() throws Exception {
        Sessions other = secondService();
        Session s = newSession();
        sessions.mergeContext(s.id(), "{\"count\":0}");
        int perRacer = 10;
        List<Race.Outcome<Integer>> outcomes = Race.run(RACERS, i -> () -> {
            Sessions mine = onHandle(i, sessions, other);
            int retries = 0;
            for (int n = 0; n < perRacer; n++) {
                while (true) {
                    Session current = mine.get(s.id());
                    long count = json(current.context()).get("count").asLong();
                    try {
                        mine.mergeContext(s.id(), "{\"count\":" + (count + 1) + "}", current.version());
                        break;
                    } catch (StaleVersionException lost) {
                        retries++;
                    }
                }
            }
            return retries;
        });
        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
        assertThat(json(sessions.get(s.id()).context()).get("count").asLong()).isEqualTo((long) RACERS * perRacer);
    }

    @Test
    void concurrentCreatesMakeDistinctSessions() throws Exception {
        Sessions other = secondService();
        int perRacer = 20;
        List<Race.Outcome<List<SessionId>>> outcomes = Race.run(RACERS, i -> () -> {
            List<SessionId> made = new ArrayList<>();
            for (int n = 0; n < perRacer; n++) {
                made.add(onHandle(i, sessions, other).create("/p/" + i, "t" + n).id());
            }
            return made;
        });
        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
        Set<SessionId> all = outcomes.stream().flatMap(o -> o.value().stream()).collect(Collectors.toSet());
        assertThat(all).hasSize(RACERS * perRacer);
        Set<SessionId> listed = new HashSet<>();
        SessionQuery query = SessionQuery.all().withLimit(SessionQuery.MAX_LIMIT);
        sessions.list(query).sessions().forEach(x -> listed.add(x.id()));
        assertThat(listed).isEqualTo(all);
    }

    @Test
    void transitionsAndMergesInterleavedKeepBoth() throws Exception {
        Sessions other = secondService();
        for (int round = 0; round < ROUNDS; round++) {
            Session s = sessionIn(ACTIVE);
            List<Race.Outcome<Session>> outcomes = Race.run(RACERS, i -> () -> {
                Sessions mine = onHandle(i, sessions, other);
                return i % 2 == 0
                        ? mine.transition(s.id(), i % 4 == 0 ? PAUSED : ACTIVE)
                        : mine.mergeContext(s.id(), "{\"m" + i + "\":true}");
            });
            assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
            Session after = sessions.get(s.id());
            assertThat(after.version()).isEqualTo(s.version() + RACERS);
            JsonNode context = json(after.context());
            IntStream.range(0, RACERS).filter(i -> i % 2 == 1)
                    .forEach(i -> assertThat(context.has("m" + i)).as("m" + i).isTrue());
        }
    }
}
