package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.application.StorageException;
import io.claudesignal.sessions.application.StorageException.Reason;
import java.nio.file.Path;
import java.sql.SQLException;
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

    /** A constraint refused the statement (a duplicate key, a CHECK); nothing was written. */
    static boolean isConstraint(Throwable error) {
        return primaryCode(error) == SQLiteErrorCode.SQLITE_CONSTRAINT.code;
    }

    static StorageException translate(Path file, String doing, Throwable error) {
        if (error instanceof StorageException storage) {
            return storage;
        }
        int code = primaryCode(error);
        Reason reason = reasonFor(code);
        return new StorageException(reason, file, file + ": " + doing + " failed: " + describe(reason, error), error);
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
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
}
