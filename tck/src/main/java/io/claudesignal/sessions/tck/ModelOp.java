package io.claudesignal.sessions.tck;

import io.claudesignal.sessions.domain.SessionStatus;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One step of a random script that {@link SessionsModelProperties} plays against an adapter and
 * against {@link SessionsModel}. Sessions are named by a number ({@code s}) taken modulo the number of
 * sessions created so far, {@link #SESSIONS} naming an id that never existed; handles by number: 0 is the CLI, 1 and 2
 * are two daemons, the second one on the store's second handle.
 */
sealed interface ModelOp {

    /** The number that names an unknown id; lower numbers name created sessions. */
    int SESSIONS = 7;

    record Create(boolean valid) implements ModelOp {}

    /** A transition with an expected status ({@code expected} not null) or from whatever it is. */
    record Transition(int s, int handle, SessionStatus expected, SessionStatus target) implements ModelOp {}

    record Merge(int s, int handle, Patch patch, VersionCheck check) implements ModelOp {}

    record Delete(int s, int handle) implements ModelOp {}

    /** Reads one session every way: find, history, activities, catch-up and stored lease. */
    record Read(int s) implements ModelOp {}

    record ListAll(SessionStatus status, int limit) implements ModelOp {}

    record Append(int s, int handle, boolean valid) implements ModelOp {}

    record Acknowledge(int s, int throughSeq) implements ModelOp {}

    record Claim(int s, int daemon) implements ModelOp {}

    record Renew(int daemon) implements ModelOp {}

    record Release(int s, int daemon) implements ModelOp {}

    record Advance(Duration by) implements ModelOp {}

    record Recover(int handle) implements ModelOp {}

    enum VersionCheck { NONE, CURRENT, STALE }

    /** The patches a script applies: small ones, no-ops, invalid ones, and two big ones that together overflow. */
    enum Patch {
        SET_A("{\"a\":1}"), SET_A2("{\"a\":2}"), SET_B("{\"b\":\"x\"}"), REMOVE_A("{\"a\":null}"),
        NESTED("{\"n\":{\"x\":1,\"y\":null}}"), NESTED_REMOVE("{\"n\":{\"x\":null}}"), EMPTY("{}"),
        NOT_AN_OBJECT("[1]"), NOT_JSON("{nope"), TOO_BIG("{\"huge\":\"" + "x".repeat(70 * 1024) + "\"}"),
        BIG_1("{\"big1\":\"" + "y".repeat(40 * 1024) + "\"}"), BIG_2("{\"big2\":\"" + "z".repeat(40 * 1024) + "\"}"),
        DROP_BIGS("{\"big1\":null,\"big2\":null}");

        final String json;

        Patch(String json) {
            this.json = json;
        }

        @Override
        public String toString() {
            return json.length() > 40 ? name() : json;
        }
    }

    static Arbitrary<List<ModelOp>> scripts(int maxLength) {
        Arbitrary<Integer> s = Arbitraries.integers().between(0, SESSIONS);
        Arbitrary<Integer> handle = Arbitraries.integers().between(0, 2);
        Arbitrary<Integer> daemon = Arbitraries.integers().between(1, 2);
        Arbitrary<SessionStatus> status = Arbitraries.of(SessionStatus.class);
        Arbitrary<ModelOp> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(true, true, true, false).map(Create::new)),
                net.jqwik.api.Tuple.of(10, Combinators.combine(s, handle, status.injectNull(0.5), status)
                        .as(Transition::new)),
                net.jqwik.api.Tuple.of(6, Combinators.combine(s, handle, Arbitraries.of(Patch.class),
                        Arbitraries.of(VersionCheck.class)).as(Merge::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(s, handle).as(Delete::new)),
                net.jqwik.api.Tuple.of(3, s.map(Read::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(status.injectNull(0.5), Arbitraries.integers().between(1, 3))
                        .as(ListAll::new)),
                net.jqwik.api.Tuple.of(3, Combinators.combine(s, handle, Arbitraries.of(true, true, false))
                        .as(Append::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(s, Arbitraries.integers().between(0, 8))
                        .as(Acknowledge::new)),
                net.jqwik.api.Tuple.of(6, Combinators.combine(s, daemon).as(Claim::new)),
                net.jqwik.api.Tuple.of(4, daemon.map(Renew::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(s, daemon).as(Release::new)),
                net.jqwik.api.Tuple.of(4, Arbitraries.of(Duration.ofMillis(1), Duration.ofSeconds(20),
                        Duration.ofSeconds(31)).map(Advance::new)),
                net.jqwik.api.Tuple.of(3, handle.map(Recover::new)));
        return op.list().ofMinSize(maxLength / 2).ofMaxSize(maxLength);
    }
}
