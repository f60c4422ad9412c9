package io.claudesignal.sessions.tck;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock for tests: starts at a fixed instant and moves one millisecond forward each time it is read. */
public final class TestClock extends Clock {

    private final AtomicLong micros;
    private final long stepMicros;

    public TestClock(Instant start, long stepMicros) {
        this.micros = new AtomicLong(start.getEpochSecond() * 1_000_000 + start.getNano() / 1_000);
        this.stepMicros = stepMicros;
    }

    public TestClock() {
        this(Instant.parse("2026-01-26T01:58:12.123456Z"), 1_000);
    }

    /** A clock that never moves: every read gives the same instant. */
    public static TestClock frozen(Instant at) {
        return new TestClock(at, 0);
    }

    @Override
    public Instant instant() {
        long now = micros.getAndAdd(stepMicros);
        return Instant.ofEpochSecond(Math.floorDiv(now, 1_000_000), Math.floorMod(now, 1_000_000) * 1_000);
    }

    /** Moves the clock by a number of microseconds (negative steps back, as real clocks sometimes do). */
    public void advanceMicros(long delta) {
        micros.addAndGet(delta);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("tests run in UTC");
    }
}
