package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import io.claudesignal.sessions.tck.TestClock;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.tck.TestClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit on the writer: works queued by concurrent callers share one transaction, run plainly,
 * and each in its own savepoint once one of them refuses. A batch is formed deterministically by holding the writer inside one work while the
 * others queue behind it; nothing here depends on timing.
 */
class GroupCommitTest {

    @TempDir
    Path dir;

    private Path file;
    private SqliteStorage storage;
    private SqliteDatabase db;
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @BeforeEach
    void open() {
        file = dir.resolve("sessions.db");
        storage = SqliteStorage.open(file);
        db = storage.database();
        db.write(ctx -> ctx.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)"));
    }

    @AfterEach
    void close() {
        callers.shutdownNow();
        storage.close();
    }

    @Test
    void manyThreadsWritingLoseNothing() throws Exception {
        SessionService sessions = new SessionService(storage.persistence(), new TestClock(), SessionIdGenerator.random(),
                new ContextJson());
        int threads = 16;
        int each = 25;
        List<Future<List<SessionId>>> created = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            created.add(callers.submit(() -> {
                List<SessionId> ids = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    SessionId id = sessions.create("/p", "t").id();
                    sessions.activate(id);
                    ids.add(id);
                }
                return ids;
            }));
        }
        Set<SessionId> all = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
        for (Future<List<SessionId>> f : created) {
            all.addAll(f.get());
        }
        assertThat(all).hasSize(threads * each);
        for (SessionId id : all) {
            assertThat(sessions.get(id).version()).isEqualTo(2);
        }
        assertThat(sessions.list(SessionQuery.all().withLimit(1000)).sessions()).hasSize(threads * each);
    }

    @Test
    void aRefusalInABatchLeavesNothingOfItsWorkAndDoesNotFailTheOthers() throws Exception {
        List<Future<Integer>> batch = batchOf(
                insert(1), insert(2),
                ctx -> {
                    ctx.execute("INSERT INTO t VALUES (3, 'refused')");
                    throw new SessionNotFoundException(new SessionId(UUID.randomUUID()));
                },
                insert(4));

        assertThat(batch.get(0).get()).isEqualTo(1);
        assertThat(batch.get(1).get()).isEqualTo(2);
        assertThatThrownBy(() -> batch.get(2).get()).hasCauseInstanceOf(SessionNotFoundException.class);
        assertThat(batch.get(3).get()).isEqualTo(4);
        assertThat(committedKeys()).containsExactly(0, 1, 2, 4);
    }

    @Test
    void twoRefusalsInABatchLeaveNothingOfTheirWorksAndEveryOtherWorkWhole() throws Exception {
        // The batch runs plainly first; a refusal makes the writer run it again with a savepoint per work.
        List<Future<Integer>> batch = batchOf(
                insertTwo(1, 101),
                refuseAfterInserting(2),
                insert(3),
                refuseAfterInserting(4),
                insertTwo(5, 105));

        assertThat(batch.get(0).get()).isEqualTo(1);
        assertThatThrownBy(() -> batch.get(1).get()).hasCauseInstanceOf(SessionNotFoundException.class);
        assertThat(batch.get(2).get()).isEqualTo(3);
        assertThatThrownBy(() -> batch.get(3).get()).hasCauseInstanceOf(SessionNotFoundException.class);
        assertThat(batch.get(4).get()).isEqualTo(5);
        assertThat(committedKeys()).containsExactly(0, 1, 3, 5, 101, 105);
    }

    private static Function<DSLContext, Integer> insertTwo(int key, int other) {
        return ctx -> {
            ctx.execute("INSERT INTO t VALUES (?, ?)", key, "v" + key);
            ctx.execute("INSERT INTO t VALUES (?, ?)", other, "v" + other);
            return key;
        };
    }

    private static Function<DSLContext, Integer> refuseAfterInserting(int key) {
        return ctx -> {
            ctx.execute("INSERT INTO t VALUES (?, ?)", key, "refused");
            throw new SessionNotFoundException(new SessionId(UUID.randomUUID()));
        };
    }

    @Test
    void aFailedWorkFailsOnlyItsCallerAndTheOthersAreCommitted() throws Exception {
        List<Future<Integer>> batch = batchOf(
                insert(1),
                ctx -> {
                    ctx.execute("INSERT INTO t VALUES (2, 'broken')");
                    throw new IllegalStateException("a bug in the work");
                },
                insert(3));

        assertThat(batch.get(0).get()).isEqualTo(1);
        assertThatThrownBy(() -> batch.get(1).get()).cause().isInstanceOf(StorageException.class)
                .hasMessageContaining("a bug in the work");
        assertThat(batch.get(2).get()).isEqualTo(3);
        assertThat(committedKeys()).containsExactly(0, 1, 3);
    }

    @Test
    void callersAreAnsweredOnlyAfterTheCommitThatHoldsTheirWrite() throws Exception {
        CountDownLatch firstRan = new CountDownLatch(1);
        CountDownLatch releaseSecond = new CountDownLatch(1);
        List<Future<Integer>> batch = batchOf(
                ctx -> {
                    ctx.execute("INSERT INTO t VALUES (1, 'first')");
                    firstRan.countDown();
                    return 1;
                },
                ctx -> {
                    await(releaseSecond);
                    ctx.execute("INSERT INTO t VALUES (2, 'second')");
                    return 2;
                });
        firstRan.await();

        // The first work is done, but the transaction holding it is not committed yet.
        assertThat(batch.get(0).isDone()).isFalse();
        assertThat(committedKeys()).containsExactly(0);

        releaseSecond.countDown();
        assertThat(batch.get(0).get()).isEqualTo(1);
        assertThat(committedKeys()).containsExactly(0, 1, 2); // visible the moment the caller has its answer
        assertThat(batch.get(1).get()).isEqualTo(2);
    }

    @Test
    void aFailedCommitReachesEveryCallerOfTheBatchAndWritesNothing() throws Exception {
        // A deferred foreign key is checked by COMMIT itself: a real failure of the commit.
        db.write(ctx -> ctx.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)"));
        db.write(ctx -> ctx.execute("CREATE TABLE child (id INTEGER PRIMARY KEY,"
                + " p INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)"));

        List<Future<Integer>> batch = batchOf(
                insert(1),
                ctx -> {
                    ctx.execute("INSERT INTO child VALUES (1, 42)");
                    return 99;
                },
                insert(2));

        for (Future<Integer> caller : batch) {
            assertThatThrownBy(caller::get).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(StorageException.class).hasMessageContaining("committing");
        }
        assertThat(committedKeys()).containsExactly(0);
        // The store goes on writing.
        assertThat(db.write(insert(5))).isEqualTo(5);
        assertThat(committedKeys()).containsExactly(0, 5);
    }

    @Test
    void closingFailsTheQueuedWritesCleanlyAndFinishesTheRunningOne() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> inFlight = callers.submit(() -> db.write(ctx -> {
            running.countDown();
            await(release);
            ctx.execute("INSERT INTO t VALUES (1, 'in flight')");
            return 1;
        }));
        running.await();
        List<Future<Integer>> queued = new ArrayList<>();
        for (int k = 10; k < 15; k++) {
            queued.add(callers.submit(call(insert(k))));
        }
        waitUntilQueued(queued.size());

        Future<?> closing = callers.submit(() -> storage.close());
        while (!db.isClosed()) {
            Thread.onSpinWait();
        }
        release.countDown();
        closing.get();

        assertThat(inFlight.get()).isEqualTo(1);
        for (Future<Integer> caller : queued) {
            assertThatThrownBy(caller::get).cause().isInstanceOf(StorageException.class)
                    .satisfies(e -> assertThat(((StorageException) e).reason()).isEqualTo(Reason.CLOSED));
        }
        assertThatThrownBy(() -> db.write(insert(20))).isInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(((StorageException) e).reason()).isEqualTo(Reason.CLOSED));
        assertThat(committedKeys()).containsExactly(1);
    }

    @Test
    void aCallerInterruptedWhileQueuedWritesNothing() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> holder = callers.submit(() -> db.write(ctx -> {
            running.countDown();
            await(release);
            return 0;
        }));
        running.await();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                db.write(insert(7));
            } catch (RuntimeException e) {
                outcome.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        caller.start();
        waitUntilQueued(1);
        caller.interrupt();
        caller.join();
        release.countDown();
        holder.get();

        assertThat(outcome.get()).isInstanceOf(StorageException.class).hasMessageContaining("nothing was written");
        assertThat(stillInterrupted).isTrue();
        assertThat(db.write(insert(8))).isEqualTo(8); // the withdrawn work was skipped, not run
        assertThat(committedKeys()).containsExactly(8);
    }

    @Test
    void aCallerInterruptedAfterItsWorkStartedGetsTheCommittedOutcome() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Object> outcome = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            outcome.set(db.write(ctx -> {
                running.countDown();
                await(release);
                ctx.execute("INSERT INTO t VALUES (9, 'v')");
                return 9;
            }));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        running.await();
        caller.interrupt();
        release.countDown();
        caller.join();

        assertThat(outcome.get()).isEqualTo(9);
        assertThat(stillInterrupted).isTrue();
        assertThat(committedKeys()).containsExactly(9);
    }

    @Test
    void theWriterHoldsNoLockBetweenBatches() throws Exception {
        db.write(insert(1));
        // Another connection (another process, say) can take the write lock at once.
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            other.createStatement().execute("PRAGMA busy_timeout = 0");
            other.createStatement().execute("BEGIN IMMEDIATE");
            other.createStatement().execute("INSERT INTO t VALUES (2, 'other')");
            other.createStatement().execute("COMMIT");
        }
        assertThat(committedKeys()).containsExactly(1, 2);
    }

    // ---- helpers ---------------------------------------------------------------------------

    /**
     * Runs {@code works} as one batch: the writer is held inside a first work (which inserts key 0)
     * until all of them are queued behind it, so the writer then takes them together.
     */
    @SafeVarargs
    private List<Future<Integer>> batchOf(Function<DSLContext, Integer>... works) throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> holder = callers.submit(() -> db.write(ctx -> {
            running.countDown();
            await(release);
            ctx.execute("INSERT INTO t VALUES (0, 'holder')");
            return 0;
        }));
        running.await();
        List<Future<Integer>> futures = new ArrayList<>();
        for (Function<DSLContext, Integer> work : works) {
            futures.add(callers.submit(call(work)));
            // One at a time: the callers' threads would otherwise race to the queue, and the batch
            // would run its works in another order than the test's (a test whose second work waits for
            // its first then never ends).
            waitUntilQueued(futures.size());
        }
        release.countDown();
        assertThat(holder.get()).isZero();
        return futures;
    }

    private java.util.concurrent.Callable<Integer> call(Function<DSLContext, Integer> work) {
        return () -> db.write(work);
    }

    private static Function<DSLContext, Integer> insert(int key) {
        return ctx -> {
            ctx.execute("INSERT INTO t VALUES (?, ?)", key, "v" + key);
            return key;
        };
    }

    private void waitUntilQueued(int n) {
        while (db.queuedWrites() < n) {
            Thread.onSpinWait();
        }
    }

    /** The keys committed to the file, as a separate connection sees them. */
    private List<Integer> committedKeys() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             ResultSet rs = c.createStatement().executeQuery("SELECT k FROM t ORDER BY k")) {
            List<Integer> keys = new ArrayList<>();
            while (rs.next()) {
                keys.add(rs.getInt(1));
            }
            return keys;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
