package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.adapters.jdbc.DaemonNames;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.DaemonRunningException;
import io.claudesignal.sessions.domain.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who runs a daemon name on one database file: an exclusive OS lock ({@code fcntl}, through
 * {@link FileChannel#tryLock()}) on {@code <db>.daemon-<name>.lock} beside the database, taken when a
 * daemon's handle starts and held until its storage closes. The operating system drops the lock when
 * the process ends in any way (kill -9 included), so a dead daemon never blocks its successor, and a
 * live one always blocks a second process under its name.
 *
 * <p>OS locks belong to the process, not to a handle: within one JVM, a second handle under the same
 * name shares the first one's lock (counted here) and, as a newer incarnation, fences it.
 */
final class DaemonNameLocks implements DaemonNames {

    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path database;
    private final List<AutoCloseable> mine = new ArrayList<>();
    private boolean closed;

    DaemonNameLocks(Path database) {
        this.database = database;
    }

    /** Takes the name's lock for this storage; refused while another process holds it. */
    @Override
    public synchronized AutoCloseable hold(Actor daemon) {
        if (closed) {
            throw new StorageException(StorageException.Reason.CLOSED, database, "the store is closed");
        }
        Path file = lockFile(database, daemon);
        Held held;
        synchronized (HELD) {
            held = HELD.get(file);
            if (held == null) {
                held = Held.take(file, daemon);
                HELD.put(file, held);
            }
            held.users++;
        }
        Held taken = held;
        AutoCloseable release = new AutoCloseable() {
            private boolean done;

            @Override
            public void close() throws IOException {
                synchronized (HELD) {
                    if (done) {
                        return;
                    }
                    done = true;
                    if (--taken.users == 0) {
                        HELD.remove(file);
                        taken.channel.close(); // releases the lock
                    }
                }
            }
        };
        mine.add(release);
        return release;
    }

    /** The database file's absolute, normalized path. */
    @Override
    public String location() {
        return database.toString();
    }

    /** Releases every name this storage holds. */
    synchronized void close() {
        closed = true;
        for (AutoCloseable release : mine) {
            try {
                release.close();
            } catch (Exception e) {
                System.getLogger(DaemonNameLocks.class.getName()).log(System.Logger.Level.WARNING,
                        "releasing a daemon name's lock failed; the process's end releases it", e);
            }
        }
        mine.clear();
    }

    /** {@code <db>.daemon-<name>.lock}, the name reduced to characters every file system takes. */
    static Path lockFile(Path database, Actor daemon) {
        String name = daemon.value().startsWith("daemon:") ? daemon.value().substring("daemon:".length()) : daemon.value();
        StringBuilder safe = new StringBuilder();
        name.codePoints().limit(64).forEach(c -> safe.append(
                c < 0x80 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_') ? (char) c : '_'));
        if (!safe.toString().equals(name)) {
            // Two names that reduce alike must not share a lock file.
            safe.append('-').append(io.claudesignal.sessions.application.port.out.LeaseRepository.tagOf(name));
        }
        return database.resolveSibling(database.getFileName() + ".daemon-" + safe + ".lock");
    }

    private static final class Held {
        final FileChannel channel;
        int users;

        private Held(FileChannel channel) {
            this.channel = channel;
        }

        static Held take(Path file, Actor daemon) {
            FileChannel channel;
            try {
                channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                try {
                    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                } catch (IOException io) {
                    throw failure(file, io);
                }
            } catch (IOException e) {
                throw failure(file, e);
            }
            try {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    channel.close();
                    throw new DaemonRunningException(daemon, "another process holds " + file);
                }
                // Who holds it, for a person looking at the file; the lock itself is what counts.
                channel.truncate(0);
                channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
                        .getBytes(StandardCharsets.US_ASCII)), 0);
                return new Held(channel);
            } catch (OverlappingFileLockException e) {
                closeQuietly(channel);
                throw new DaemonRunningException(daemon, "this process holds " + file + " outside this library");
            } catch (IOException e) {
                closeQuietly(channel);
                throw failure(file, e);
            }
        }

        private static void closeQuietly(FileChannel channel) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock was not taken; nothing to release
            }
        }

        private static StorageException failure(Path file, IOException e) {
            return new StorageException(StorageException.Reason.PERMISSION, file,
                    file + ": cannot lock the daemon's name (" + e.getMessage() + ")", e);
        }
    }
}
