package io.claudesignal.sessions.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Runs tasks on as many threads, all released by one barrier so that they really overlap, and collects
 * each one's result or exception.
 */
public final class Race {

    private Race() {
    }

    /** What one racer ended with: a value, or the exception it threw. */
    public record Outcome<T>(T value, Throwable error) {
        public boolean won() {
            return error == null;
        }
    }

    public interface Task<T> {
        T run() throws Exception;
    }

    public static <T> List<Outcome<T>> run(int threads, IntFunction<Task<T>> taskForThread) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        try {
            List<Future<Outcome<T>>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Task<T> task = taskForThread.apply(i);
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    try {
                        return new Outcome<>(task.run(), null);
                    } catch (Exception | AssertionError e) {
                        return new Outcome<T>(null, e);
                    }
                }));
            }
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (Future<Outcome<T>> f : futures) {
                outcomes.add(f.get(120, TimeUnit.SECONDS));
            }
            return outcomes;
        } catch (Exception e) {
            throw new AssertionError("a racer did not finish", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
