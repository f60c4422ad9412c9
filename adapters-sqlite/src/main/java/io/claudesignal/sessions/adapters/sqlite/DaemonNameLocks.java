package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.adapters.jdbc.SqlDaemonNames;
import io.claudesignal.sessions.application.port.out.LeaseRepository;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.DaemonRunningException;
import io.claudesignal.sessions.domain.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Who runs a daemon name on one database file: an exclusive OS lock ({@code fcntl}, through
 * {@link FileChannel#tryLock()}) on {@code <db>.daemon-<name>.lock} beside the database, taken when a
 * daemon's handle starts and held until its storage closes. The operating system drops the lock when
 * the process ends in any way (kill -9 included), so a dead daemon never blocks its successor, and a
 * live one always blocks a second process under its name.
 *
 * <p>OS locks belong to the process, not to a handle: within one JVM, a second handle under the same
 * name shares the first one's lock (counted by {@link SqlDaemonNames}) and, as a newer incarnation,
 * fences it.
 */
final class DaemonNameLocks implements SqlDaemonNames.Lock {

    private final Path database;

    DaemonNameLocks(Path database) {
        this.database = database;
    }

    /** The database file's absolute, normalized path. */
    @Override
    public String location() {
        return database.toString();
    }

    @Override
    public String key(Actor daemon) {
        return lockFile(database, daemon).toString();
    }

    @Override
    public StorageException closedError() {
        return new StorageException(StorageException.Reason.CLOSED, database, "the store is closed");
    }

    /** {@code <db>.daemon-<name>.lock}, the name reduced to characters every file system takes. */
    static Path lockFile(Path database, Actor daemon) {
        String name = daemon.value().startsWith("daemon:") ? daemon.value().substring("daemon:".length()) : daemon.value();
        StringBuilder safe = new StringBuilder();
        name.codePoints().limit(64).forEach(c -> safe.append(
                c < 0x80 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_') ? (char) c : '_'));
        if (!safe.toString().equals(name)) {
            // Two names that reduce alike must not share a lock file.
            safe.append('-').append(LeaseRepository.tagOf(name));
        }
        return database.resolveSibling(database.getFileName() + ".daemon-" + safe + ".lock");
    }

    /** Locks the name's file; closing the channel releases the lock. */
    @Override
    public AutoCloseable lock(Actor daemon) {
        Path file = lockFile(database, daemon);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
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
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return channel;
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
