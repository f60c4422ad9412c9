package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.SessionId;
import java.time.Duration;
import java.util.List;

/** The feed of a store that keeps no change log: empty, and waiting only sleeps. */
enum NoChangeFeed implements ChangeFeed, ChangeFeed.Reader {
    INSTANCE;

    @Override
    public Reader reader() {
        return this;
    }

    @Override
    public Page next(int limit) {
        return Page.EMPTY;
    }

    @Override
    public List<Change> through(SessionId session, long writeId) {
        return List.of();
    }

    @Override
    public long head() {
        return 0;
    }

    @Override
    public long position() {
        return 0;
    }

    @Override
    public Watch watch() {
        return new Watch() {
            @Override
            public void await(Duration timeout) throws InterruptedException {
                Thread.sleep(timeout.toMillis());
            }

            @Override
            public void close() {
            }
        };
    }
}
