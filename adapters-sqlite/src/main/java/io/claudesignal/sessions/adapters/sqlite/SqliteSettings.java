package io.claudesignal.sessions.adapters.sqlite;

import java.time.Duration;
import java.util.Objects;

/**
 * How a SQLite store is opened. The defaults are the safe ones: every acknowledged write is on disk
 * ({@code synchronous=FULL}), and another process holding the lock is waited for, not failed.
 *
 * @param synchronous        how hard a commit waits for the disk; see {@link Synchronous}
 * @param busyTimeout        how long to wait for another process's lock before failing (at least 5 s)
 * @param readers            how many read-only connections serve concurrent reads
 * @param walAutocheckpoint  WAL pages after which a commit checkpoints into the database file
 * @param allowForeignOwner  whether a database file owned by another user may be opened (and written);
 *                           off by default, so that root following a symbolic link does not quietly take
 *                           over someone else's store
 */
public record SqliteSettings(Synchronous synchronous, Duration busyTimeout, int readers, int walAutocheckpoint,
                             boolean allowForeignOwner) {

    public static final Duration MIN_BUSY_TIMEOUT = Duration.ofSeconds(5);

    /** SQLite's {@code PRAGMA synchronous} levels that keep a WAL database consistent after a crash. */
    public enum Synchronous {
        /** A commit survives a power cut as well as a crash. The default. */
        FULL,
        /** A commit survives a crash of the process; the last ones may be lost in a power cut. */
        NORMAL,
        /** As FULL, and the directory is synced too when the WAL is reset. */
        EXTRA
    }

    public SqliteSettings {
        Objects.requireNonNull(synchronous, "synchronous");
        Objects.requireNonNull(busyTimeout, "busyTimeout");
        if (busyTimeout.compareTo(MIN_BUSY_TIMEOUT) < 0) {
            throw new IllegalArgumentException("busyTimeout must be at least " + MIN_BUSY_TIMEOUT + ", was " + busyTimeout);
        }
        if (busyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("busyTimeout is too long: " + busyTimeout);
        }
        if (readers < 1 || readers > 64) {
            throw new IllegalArgumentException("readers must be between 1 and 64, was " + readers);
        }
        if (walAutocheckpoint < 1) {
            throw new IllegalArgumentException("walAutocheckpoint must be positive, was " + walAutocheckpoint);
        }
    }

    /** As the canonical constructor, refusing other users' files. */
    public SqliteSettings(Synchronous synchronous, Duration busyTimeout, int readers, int walAutocheckpoint) {
        this(synchronous, busyTimeout, readers, walAutocheckpoint, false);
    }

    /**
     * FULL durability, a 10 s busy timeout, up to 16 readers (opened only as concurrent reads need
     * them), SQLite's default checkpoint of 1000 pages.
     */
    public static SqliteSettings defaults() {
        // 16 readers, not 4: with 16 callers on 2 cores a caller descheduled while holding one of 4
        // made the others wait (JFR: every long park of a get was in ReaderPool.borrowReader), and
        // readers are opened lazily, so a quiet daemon still holds one or two.
        return new SqliteSettings(Synchronous.FULL, Duration.ofSeconds(10), 16, 1000);
    }

    public SqliteSettings withSynchronous(Synchronous value) {
        return new SqliteSettings(value, busyTimeout, readers, walAutocheckpoint, allowForeignOwner);
    }

    public SqliteSettings withBusyTimeout(Duration value) {
        return new SqliteSettings(synchronous, value, readers, walAutocheckpoint, allowForeignOwner);
    }

    public SqliteSettings withReaders(int value) {
        return new SqliteSettings(synchronous, busyTimeout, value, walAutocheckpoint, allowForeignOwner);
    }

    public SqliteSettings withWalAutocheckpoint(int value) {
        return new SqliteSettings(synchronous, busyTimeout, readers, value, allowForeignOwner);
    }

    /** Whether a database file owned by another user may be opened; see {@link #allowForeignOwner()}. */
    public SqliteSettings allowForeignOwner(boolean value) {
        return new SqliteSettings(synchronous, busyTimeout, readers, walAutocheckpoint, value);
    }
}
