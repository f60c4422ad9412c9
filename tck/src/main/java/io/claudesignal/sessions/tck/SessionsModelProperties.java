package io.claudesignal.sessions.tck;

import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.StorageAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Model-based tests: random scripts of operations ({@link ModelOp}) played against an adapter and
 * against {@link SessionsModel}, a plain reference implementation of the rules, comparing every answer
 * (the value returned, or the class of the exception thrown; sessions with their versions, statuses and
 * contexts; list pages; histories; leases). An adapter runs them with a second small test class beside
 * its {@link SessionsTck} test, answering the same two hooks the same way:
 *
 * <pre>{@code
 * class InMemorySessionsModelTest extends SessionsModelProperties {
 *     private InMemoryStorage storage;
 *
 *     protected StorageAdapter openStorage() {
 *         storage = new InMemoryStorage();
 *         return storage.open();
 *     }
 *
 *     protected StorageAdapter openSecondHandle() {
 *         return storage.open();
 *     }
 * }
 * }</pre>
 *
 * <p>Each script is one JUnit dynamic test on a fresh store, drawn from a seeded {@link Random}: the seed
 * is printed and in the test's name, and {@code -Dsessions.model.seed=S} plays that one script again.
 * {@code -Dsessions.model.scripts=N} and {@code -Dsessions.model.steps=N} change how many and how long.
 * A failure names the seed, the step and the steps so far, and the shortest script found by dropping
 * steps one at a time that still fails.
 */
public abstract class SessionsModelProperties {

    /** Scripts per run and steps per script: enough variety per build, a few seconds per adapter. */
    private static final int SCRIPTS = Integer.getInteger("sessions.model.scripts", 10);
    private static final int STEPS = Integer.getInteger("sessions.model.steps", 30);
    /** Replays of a shortened script a failure may cost (each on a fresh store). */
    private static final int SHRINK_ATTEMPTS = 80;

    private final Handles handles = new Handles();

    /** A new, empty store of the adapter under test. Called before each script; closed after it. */
    protected abstract StorageAdapter openStorage() throws Exception;

    /** A second handle on the storage {@link #openStorage()} opened, as another process would open it. */
    protected abstract StorageAdapter openSecondHandle() throws Exception;

    /** Closes {@code resource} after the current script, in the reverse order of registration. */
    protected final <T extends AutoCloseable> T closeAfterwards(T resource) {
        return handles.closeAfterwards(resource);
    }

    @TestFactory
    Stream<DynamicTest> everyAnswerIsTheModels() {
        String fixed = System.getProperty("sessions.model.seed");
        List<Long> seeds = new ArrayList<>();
        if (fixed != null && !fixed.isBlank()) {
            seeds.add(Long.parseLong(fixed.trim()));
        } else {
            Random seeder = new Random();
            for (int i = 0; i < SCRIPTS; i++) {
                seeds.add(seeder.nextLong());
            }
        }
        return seeds.stream().map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> runScript(seed)));
    }

    private void runScript(long seed) throws Exception {
        System.out.println(getClass().getSimpleName() + ": script with seed " + seed
                + " (replay: -Dsessions.model.seed=" + seed + ")");
        List<ModelOp> script = ModelRun.withStart(ModelOp.script(new Random(seed), STEPS));
        Failure failure = play(script);
        if (failure == null) {
            return;
        }
        Failure shortest = shrink(script, failure);
        StringBuilder message = new StringBuilder("seed ").append(seed).append(" (-Dsessions.model.seed=")
                .append(seed).append("): ").append(failure.describe(script));
        if (shortest != failure) {
            message.append("\nshortest failing script found: ").append(shortest.describe(shortest.script));
        }
        throw new AssertionError(message.toString(), failure.error);
    }

    /** Plays {@code script} on a fresh store; the first disagreement, or null. */
    private Failure play(List<ModelOp> script) throws Exception {
        try {
            Persistence persistence = handles.first(openStorage()).persistence();
            ModelRun run = new ModelRun(persistence, handles.second(openSecondHandle()).persistence());
            for (int step = 0; step < script.size(); step++) {
                try {
                    run.apply(script.get(step));
                } catch (AssertionError e) {
                    return new Failure(script, step, e);
                }
            }
            return null;
        } finally {
            handles.closeAll();
        }
    }

    /** Drops one step at a time (never the set-up steps) while the script still fails. */
    private Failure shrink(List<ModelOp> script, Failure failure) throws Exception {
        Failure best = failure;
        List<ModelOp> current = script.subList(0, failure.step + 1);
        int attempts = 0;
        for (int i = current.size() - 2; i >= ModelRun.START.size() && attempts < SHRINK_ATTEMPTS; i--) {
            if (i >= current.size() - 1) {
                continue;
            }
            List<ModelOp> shorter = new ArrayList<>(current);
            shorter.remove(i);
            attempts++;
            Failure again = play(shorter);
            if (again != null) {
                best = again;
                current = shorter.subList(0, again.step + 1);
                i = Math.min(i, current.size() - 1);
            }
        }
        return best;
    }

    private record Failure(List<ModelOp> script, int step, AssertionError error) {
        String describe(List<ModelOp> steps) {
            StringBuilder text = new StringBuilder("step ").append(step + 1).append(" of ").append(steps.size())
                    .append(", ").append(steps.get(step)).append(": ").append(error.getMessage())
                    .append("\nsteps so far:");
            for (int i = 0; i <= step; i++) {
                text.append("\n  ").append(i + 1).append(". ").append(steps.get(i));
            }
            return text.toString();
        }
    }
}
