package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The files around a database: its private directory, the companions SQLite makes ({@code -wal},
 * {@code -shm}), and the way a new database comes into being. Java only ever creates, links, renames
 * and deletes files here, and inspects their metadata; it never opens a database file that SQLite
 * may have open.
 */
final class StoreFiles {

    static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    static final List<String> COMPANION_SUFFIXES = List.of("-wal", "-shm", "-journal");

    private StoreFiles() {
    }

    /** Creates the database's directory, owner-only, when it does not exist yet. */
    static void ensureDirectory(Path file) {
        Path dir = file.getParent();
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir, attribute(OWNER_ONLY_DIR));
        } catch (IOException e) {
            throw ioFailure(dir, "creating the directory", e);
        }
    }

    /**
     * Creates an empty file readable by its owner only, ready for SQLite to open. SQLite gives the
     * {@code -wal} and {@code -shm} files it makes later the same mode as the database file.
     */
    static void createPrivateFile(Path file) throws IOException {
        Files.createFile(file, attribute(OWNER_ONLY_FILE));
    }

    /** Takes group and others' access away from a file (a chmod: no descriptor is opened). */
    static void makeOwnerOnly(Path file) {
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
            }
        } catch (IOException e) {
            throw ioFailure(file, "making the file private", e);
        }
    }

    /** A fresh name beside {@code file} for a file under construction, hidden from directory listings. */
    static Path scratchBeside(Path file, String purpose) {
        return file.resolveSibling("." + file.getFileName() + "." + purpose + "-" + UUID.randomUUID());
    }

    /**
     * Publishes a finished database under {@code target}, unless a file is already there. A hard link
     * cannot replace an existing file, so of several processes creating the same database at once
     * exactly one publishes, and nobody ever sees a half-made file under the real name.
     *
     * @return false when another file was there first
     */
    static boolean publish(Path finished, Path target) throws IOException {
        try {
            Files.createLink(target, finished);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (Files.exists(target)) {
                return false;
            }
            // A file system without hard links: a rename, checked just before, is the best left.
            Files.move(finished, target);
            return true;
        }
    }

    /** Deletes a scratch database and whatever companions SQLite left beside it. */
    static void deleteWithCompanions(Path file) {
        try {
            Files.deleteIfExists(file);
            for (String suffix : COMPANION_SUFFIXES) {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
            }
        } catch (IOException ignored) {
            // A leftover scratch file is hidden and harmless; failing the open for it would not be.
        }
    }

    static Path companion(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    static StorageException ioFailure(Path path, String doing, IOException e) {
        Reason reason = e instanceof AccessDeniedException ? Reason.PERMISSION : Reason.IO;
        String why = e instanceof AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
        return new StorageException(reason, path, path + ": " + doing + " failed: " + why, e);
    }

    private static FileAttribute<?>[] attribute(Set<PosixFilePermission> permissions) {
        boolean posix = Path.of("").getFileSystem().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
    }
}
