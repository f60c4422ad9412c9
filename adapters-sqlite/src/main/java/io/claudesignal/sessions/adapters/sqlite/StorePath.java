package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import io.claudesignal.sessions.domain.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;

/**
 * Checks the path of a database before anything is made or opened: a path that cannot name a
 * database file is refused at once, with a message that says why, and no directory is created for
 * it. SQLite would otherwise block forever on a FIFO, open a device, or fail with a CANTOPEN text
 * after the store had made the directories of a path too long for it.
 */
final class StorePath {

    /** SQLite's limit for a path on Unix ({@code MAX_PATHNAME}), its terminating NUL included. */
    static final int SQLITE_MAX_PATHNAME = 512;
    /** A file name's limit ({@code NAME_MAX}). */
    static final int NAME_MAX = 255;
    /**
     * What the store adds to the database's name for the files it makes beside it, the longest being
     * {@code .NAME.upgrade-trial-<pid>-<uuid>-journal} (68 bytes), with room to spare.
     */
    static final int SUFFIX_ROOM = 80;

    private StorePath() {
    }

    /**
     * @throws InvalidInputException when the path cannot name a database file (exit 5 in the CLI)
     * @throws StorageException      when it names one this user may not reach, or another user's file
     */
    static void check(Path absolute, SqliteSettings settings) {
        String text = absolute.toString();
        checkText(text, absolute);
        Path real = realPath(absolute);
        int bytes = real.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes + SUFFIX_ROOM >= SQLITE_MAX_PATHNAME) {
            throw new InvalidInputException("db", "is too long: " + bytes + " bytes, and SQLite takes at most "
                    + (SQLITE_MAX_PATHNAME - 1 - SUFFIX_ROOM) + " for a database's path (the store names files beside it): "
                    + text);
        }
        for (Path name : real) {
            int length = name.toString().getBytes(StandardCharsets.UTF_8).length;
            if (length > NAME_MAX || (name.equals(real.getFileName()) && length + SUFFIX_ROOM > NAME_MAX)) {
                throw new InvalidInputException("db", "has a name too long for the file system (" + length
                        + " bytes): " + text);
            }
        }
        checkFile(absolute, settings);
    }

    private static void checkText(String text, Path absolute) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new InvalidInputException("db", String.format("contains a control character (U+%04X); "
                        + "refusing a file name that scripts and listings would misread: %s", (int) c,
                        text.replaceAll("\\p{Cntrl}", "?")));
            }
        }
        // sqlite-jdbc reads '?' as the start of URL parameters.
        if (text.indexOf('?') >= 0 || absolute.getFileName() == null) {
            throw new InvalidInputException("db", "cannot be used as a database file name: " + text);
        }
        if (absolute.getFileName().toString().equals(":memory:")) {
            throw new InvalidInputException("db", "':memory:' would be a file of that name here, not an in-memory "
                    + "database: sessions live in a file so that they outlast the process; name a file "
                    + "(for a throw-away store, a file in a temporary directory)");
        }
    }

    /**
     * The path as SQLite will see it: the deepest existing ancestor resolved (symbolic links too),
     * the rest as given. Every existing ancestor must be a directory this user may search.
     */
    private static Path realPath(Path absolute) {
        Path existing = absolute.getParent();
        while (existing != null) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(existing, BasicFileAttributes.class);
                if (!attributes.isDirectory()) {
                    throw new InvalidInputException("db", existing + " is not a directory, so it cannot hold the "
                            + "database " + absolute);
                }
                return existing.toRealPath().resolve(existing.relativize(absolute));
            } catch (NoSuchFileException e) {
                existing = existing.getParent();
            } catch (AccessDeniedException e) {
                throw new StorageException(Reason.PERMISSION, absolute, absolute + ": this user may not reach "
                        + existing + " (permission denied)", e);
            } catch (FileSystemException e) {
                // ENOTDIR and its like: some ancestor is a file.
                String why = "Not a directory".equals(e.getReason()) ? "a part of it is not a directory" : e.getReason();
                throw new InvalidInputException("db", "is not a usable path (" + why + "): " + absolute);
            } catch (IOException e) {
                throw StoreFiles.ioFailure(absolute, "looking at the path", e);
            }
        }
        return absolute;
    }

    /** The name itself: missing, or a regular file (through links) that this user owns. */
    private static void checkFile(Path file, SqliteSettings settings) {
        BasicFileAttributes own;
        try {
            own = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw StoreFiles.ioFailure(file, "looking at the file", e);
        }
        BasicFileAttributes target = own;
        if (own.isSymbolicLink()) {
            String to = linkTarget(file);
            try {
                target = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                throw new InvalidInputException("db", "is a dangling symbolic link: its target " + to
                        + " does not exist (create the target or name the real file): " + file);
            } catch (AccessDeniedException e) {
                throw new StorageException(Reason.PERMISSION, file, file + ": is a symbolic link to " + to
                        + ", which this user may not reach (permission denied)", e);
            } catch (IOException e) {
                throw new InvalidInputException("db", "is a symbolic link to " + to + ", which cannot be followed ("
                        + e.getMessage() + "): " + file);
            }
        }
        if (!target.isRegularFile()) {
            throw new InvalidInputException("db", "is " + kind(file, target) + ", not a database file: " + file);
        }
        if (!settings.allowForeignOwner()) {
            Optional<UserPrincipal> me = Owners.currentUser();
            try {
                UserPrincipal owner = Files.getOwner(file);
                if (me.isPresent() && !owner.equals(me.get())) {
                    throw new StorageException(Reason.PERMISSION, file, file + ": is owned by " + owner.getName()
                            + ", not by " + me.get().getName() + " (this user); refusing to write another user's database"
                            + " (allow it with --allow-foreign-owner, or SqliteSettings.allowForeignOwner(true))");
                }
            } catch (IOException | UnsupportedOperationException e) {
                // No owners on this file system: nothing to compare.
            }
        }
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    private static String kind(Path file, BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        try {
            int type = ((Integer) Files.getAttribute(file, "unix:mode")) & 0170000;
            return switch (type) {
                case 0010000 -> "a FIFO (named pipe)";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "not a regular file";
            };
        } catch (IOException | RuntimeException e) {
            return "not a regular file";
        }
    }
}
