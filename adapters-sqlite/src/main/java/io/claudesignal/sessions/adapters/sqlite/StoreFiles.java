package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final List<String> SCRATCH_PURPOSES = List.of("new", "upgrade-trial", "backup");
    private static final Pattern OLD_SCRATCH = Pattern.compile("\\p{XDigit}{8}(-\\p{XDigit}{4}){3}-\\p{XDigit}{12}");
    private static final Pattern NEW_SCRATCH = Pattern.compile("(\\d{1,18})-\\p{XDigit}{8}(-\\p{XDigit}{4}){3}-\\p{XDigit}{12}");

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

    /**
     * Makes the {@code -wal}, {@code -shm} and {@code -journal} beside {@code file} owner-only when they
     * are not. SQLite gives them the database file's mode when it creates them, but a process killed
     * between opening a world-readable reference file and making it private leaves them as they were.
     * Best effort: a companion another user owns, or one that vanishes meanwhile, is left alone.
     */
    static void tightenCompanions(Path file) {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        for (String suffix : COMPANION_SUFFIXES) {
            Path companion = companion(file, suffix);
            try {
                if (!OWNER_ONLY_FILE.containsAll(Files.getPosixFilePermissions(companion, LinkOption.NOFOLLOW_LINKS))) {
                    Files.setPosixFilePermissions(companion, OWNER_ONLY_FILE);
                }
            } catch (IOException | SecurityException e) {
                // Not there, or not ours: the diagnostics report a mode that stays wrong.
            }
        }
    }

    /**
     * A fresh name beside {@code file} for a file under construction, hidden from directory listings:
     * {@code .NAME.PURPOSE-<pid>-<uuid>}. The pid tells a later open whether its maker still runs.
     */
    static Path scratchBeside(Path file, String purpose) {
        return file.resolveSibling("." + file.getFileName() + "." + purpose + "-" + ProcessHandle.current().pid()
                + "-" + UUID.randomUUID());
    }

    /** Forces a file's content to disk (the file is one no SQLite connection of this process has open). */
    static void sync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Forces a directory's entries to disk, so that a rename or link in it survives a power cut. */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not every platform can sync a directory; the entry is made, only its durability is less sure.
        }
    }

    /**
     * Removes what a killed creation or upgrade left beside {@code file}: scratch databases
     * ({@code .NAME.new-…}), trial copies ({@code .NAME.upgrade-trial-…}) and unfinished backups
     * ({@code .NAME.backup-…}), with their companions, when the process that made them is gone. Names
     * without a pid, as earlier versions made them, are removed once they are an hour old: their maker
     * cannot be asked, and no upgrade takes that long.
     */
    static void removeLeftovers(Path file) {
        String prefix = "." + file.getFileName() + ".";
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(file.getParent(), p -> p.getFileName().toString()
                .startsWith(prefix))) {
            for (Path entry : entries) {
                String rest = entry.getFileName().toString().substring(prefix.length());
                for (String suffix : COMPANION_SUFFIXES) {
                    if (rest.endsWith(suffix)) {
                        rest = rest.substring(0, rest.length() - suffix.length());
                    }
                }
                if (isLeftover(entry, rest)) {
                    Files.deleteIfExists(entry);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // Leftovers cost disk space only; they never stop an open.
        }
    }

    private static boolean isLeftover(Path entry, String rest) throws IOException {
        for (String purpose : SCRATCH_PURPOSES) {
            if (!rest.startsWith(purpose + "-")) {
                continue;
            }
            String tail = rest.substring(purpose.length() + 1);
            if (OLD_SCRATCH.matcher(tail).matches()) {
                return Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toInstant()
                        .isBefore(Instant.now().minus(Duration.ofHours(1)));
            }
            Matcher m = NEW_SCRATCH.matcher(tail);
            return m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty();
        }
        return false;
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
