package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.Subscription;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.service.SessionService;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feed's thread: a daemon thread that runs only while someone listens, stops on close, and costs
 * next to nothing while the store is idle (it asks {@code PRAGMA data_version} every 100 ms). The CPU
 * it used over a few idle seconds is measured and printed, not asserted: timing is the machine's.
 */
class ChangeFeedIdleTest {

    private static final String THREAD = "sessions-change-feed";

    @TempDir
    Path dir;

    @Test
    void theFeedThreadRunsWhileSomeoneListensIdlesCheaplyAndStopsOnClose() throws Exception {
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("sessions.db"))) {
            SessionService daemon = new SessionService(storage.persistence(), Clock.systemUTC(), SessionIdGenerator.random(),
                    new ContextJson(), SessionsConfig.daemon());
            assertThat(feedThreads()).as("nobody listens yet").isEmpty();
            Subscription subscription = daemon.subscribe(event -> { });
            List<Thread> running = feedThreads();
            assertThat(running).hasSize(1);
            assertThat(running.get(0).isDaemon()).isTrue();

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long before = threads.getThreadCpuTime(running.get(0).getId());
            long wallBefore = System.nanoTime();
            Thread.sleep(5_000);
            long cpu = threads.getThreadCpuTime(running.get(0).getId()) - before;
            long wall = System.nanoTime() - wallBefore;
            System.out.printf("change feed idle cost (sqlite): %.1f ms of CPU in %.1f s (%.3f%% of one core)%n",
                    cpu / 1e6, wall / 1e9, 100.0 * cpu / wall);

            subscription.close();
            awaitNoFeedThread();
            daemon.subscribe(event -> { });
            assertThat(feedThreads()).as("a new listener starts it again").hasSize(1);
            daemon.close();
            assertThat(feedThreads()).as("closed").isEmpty();
        }
    }

    private static List<Thread> feedThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(THREAD) && t.isAlive()).toList();
    }

    private static void awaitNoFeedThread() throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!feedThreads().isEmpty()) {
            assertThat(System.nanoTime()).as("the thread ends once nobody listens").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
