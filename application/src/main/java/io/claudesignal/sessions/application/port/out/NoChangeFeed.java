package io.claudesignal.sessions.application.port.out;

import java.time.Duration;
import java.util.List;

/** The feed of a store that keeps no change log: empty, and waiting only sleeps. */
enum NoChangeFeed implements ChangeFeed {
    INSTANCE;

    @Override
    public long head() {
        return 0;
    }

    @Override
    public List<Change> after(long seq, int limit) {
        return List.of();
    }

    @Override
    public Watch watch() {
        return new Watch() {
            @Override
            public void await(long seq, Duration timeout) throws InterruptedException {
                Thread.sleep(timeout.toMillis());
            }

            @Override
            public void close() {
            }
        };
    }
}
