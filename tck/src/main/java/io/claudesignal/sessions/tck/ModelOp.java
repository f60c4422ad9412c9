package io.claudesignal.sessions.tck;

import io.claudesignal.sessions.domain.SessionStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

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

    /**
     * A script of {@code length} random steps drawn from {@code random}; the weights below are how often
     * each kind of step comes, so that most steps act on sessions that exist and leases that are live.
     */
    static List<ModelOp> script(Random random, int length) {
        List<ModelOp> steps = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            steps.add(step(random));
        }
        return steps;
    }

    private static ModelOp step(Random r) {
        // How often each kind of step comes, in the order of the cases below.
        int[] weights = {6, 10, 6, 2, 3, 2, 3, 1, 6, 4, 2, 4, 3};
        int pick = r.nextInt(java.util.Arrays.stream(weights).sum());
        int kind = 0;
        while (pick >= weights[kind]) {
            pick -= weights[kind++];
        }
        return switch (kind) {
            case 0 -> new Create(r.nextInt(4) != 0);
            case 1 -> new Transition(s(r), r.nextInt(3), r.nextBoolean() ? null : status(r), status(r));
            case 2 -> new Merge(s(r), r.nextInt(3), pick(r, Patch.values()), pick(r, VersionCheck.values()));
            case 3 -> new Delete(s(r), r.nextInt(3));
            case 4 -> new Read(s(r));
            case 5 -> new ListAll(r.nextBoolean() ? null : status(r), 1 + r.nextInt(3));
            case 6 -> new Append(s(r), r.nextInt(3), r.nextInt(3) != 0);
            case 7 -> new Acknowledge(s(r), r.nextInt(9));
            case 8 -> new Claim(s(r), daemon(r));
            case 9 -> new Renew(daemon(r));
            case 10 -> new Release(s(r), daemon(r));
            case 11 -> new Advance(pick(r, new Duration[] {Duration.ofMillis(1), Duration.ofSeconds(20),
                    Duration.ofSeconds(31)}));
            default -> new Recover(r.nextInt(3));
        };
    }

    private static int s(Random r) {
        return r.nextInt(SESSIONS + 1);
    }

    private static int daemon(Random r) {
        return 1 + r.nextInt(2);
    }

    private static SessionStatus status(Random r) {
        return pick(r, SessionStatus.values());
    }

    private static <T> T pick(Random r, T[] values) {
        return values[r.nextInt(values.length)];
    }
}
