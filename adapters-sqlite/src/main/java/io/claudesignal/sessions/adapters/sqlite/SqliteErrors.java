package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.adapters.jdbc.SqlErrors;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Turns what SQLite reports into the library's typed storage errors, each naming the file. */
final class SqliteErrors {

    private SqliteErrors() {
    }

    /** The primary SQLite result code in the cause chain, or -1 when there is none. */
    static int primaryCode(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException e) {
                return e.getResultCode().code & 0xff;
            }
            if (t instanceof SQLException e && e.getErrorCode() > 0) {
                return e.getErrorCode() & 0xff;
            }
        }
        return -1;
    }

    /**
     * Whether an I/O error reported by COMMIT may come after the transaction reached the -wal: any but
     * a failed write or read (SQLITE_IOERR_WRITE, _SHORT_READ, _READ), after which the commit frame
     * was not written. A failed sync (SQLITE_IOERR_FSYNC) is the common case.
     */
    static boolean mayHaveCommitted(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException e) {
                SQLiteErrorCode code = e.getResultCode();
                return code != SQLiteErrorCode.SQLITE_IOERR_WRITE && code != SQLiteErrorCode.SQLITE_IOERR_READ
                        && code != SQLiteErrorCode.SQLITE_IOERR_SHORT_READ;
            }
        }
        return true;
    }

    static StorageException translate(Path file, String doing, Throwable error) {
        if (error instanceof StorageException storage) {
            return storage;
        }
        int code = primaryCode(error);
        Reason reason = reasonFor(code);
        if (reason == Reason.IO && atFileSizeLimit(file)) {
            // A write that starts exactly at RLIMIT_FSIZE fails with EFBIG, which SQLite reports as
            // SQLITE_IOERR_WRITE (only ENOSPC and short writes become SQLITE_FULL): the disk is fine.
            reason = Reason.FULL;
        }
        return new StorageException(reason, file, file + ": " + doing + " failed: " + describe(reason, error), error);
    }

    /**
     * Whether the database file or its -wal has reached this process's file-size limit ({@code ulimit
     * -f}): within 64 KiB of it, so that the next page or frame would cross it. Reads
     * {@code /proc/self/limits} and the files' sizes; never opens a database file.
     */
    static boolean atFileSizeLimit(Path file) {
        long limit = fileSizeLimit();
        if (limit < 0) {
            return false;
        }
        for (Path p : List.of(file, StoreFiles.companion(file, "-wal"), StoreFiles.companion(file, "-journal"))) {
            try {
                if (Files.size(p) + 64 * 1024 >= limit) {
                    return true;
                }
            } catch (IOException ignored) {
                // no such file
            }
        }
        return false;
    }

    /** RLIMIT_FSIZE in bytes, or -1 when unlimited or unknown (not Linux). */
    static long fileSizeLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max file size")) {
                    String soft = line.substring("Max file size".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    static Reason reasonFor(int code) {
        if (code == SQLiteErrorCode.SQLITE_BUSY.code || code == SQLiteErrorCode.SQLITE_LOCKED.code) {
            return Reason.BUSY;
        } else if (code == SQLiteErrorCode.SQLITE_FULL.code) {
            return Reason.FULL;
        } else if (code == SQLiteErrorCode.SQLITE_IOERR.code) {
            return Reason.IO;
        } else if (code == SQLiteErrorCode.SQLITE_CORRUPT.code || code == SQLiteErrorCode.SQLITE_NOTADB.code) {
            return Reason.CORRUPT;
        } else if (code == SQLiteErrorCode.SQLITE_READONLY.code || code == SQLiteErrorCode.SQLITE_PERM.code
                || code == SQLiteErrorCode.SQLITE_CANTOPEN.code || code == SQLiteErrorCode.SQLITE_AUTH.code) {
            return Reason.PERMISSION;
        }
        return Reason.OTHER;
    }

    private static String describe(Reason reason, Throwable error) {
        return switch (reason) {
            case BUSY -> "the database stayed locked by another process past the busy timeout";
            case FULL -> "the disk (or the file-size limit) is full";
            case IO -> "the disk reported an I/O error";
            case CORRUPT -> "the file is damaged or not a database";
            case PERMISSION -> "the file or its directory cannot be opened for reading and writing";
            default -> rootMessage(error);
        };
    }

    static String rootMessage(Throwable error) {
        return SqlErrors.rootMessage(error);
    }
}
