package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.adapters.jdbc.SqlOperations;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.sqlite.SQLiteConnection;

/**
 * What a SQLite file does outside SQL for the shared store operations ({@link SqlOperations}): its
 * bytes on disk, and online backup.
 */
final class SqliteFiles implements SqlOperations.Files {

    private final SqliteDatabase file;
    private final SqliteSettings settings;

    SqliteFiles(SqliteDatabase db, SqliteSettings settings) {
        this.file = db;
        this.settings = settings;
    }

    @Override
    public OptionalLong bytes() {
        long total = 0;
        for (Path path : List.of(file.file(), StoreFiles.companion(file.file(), "-wal"))) {
            try {
                total += Files.size(path);
            } catch (IOException missing) {
                // No -wal between connections: nothing to count.
            }
        }
        return OptionalLong.of(total);
    }

    @Override
    public void backup(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        if (absolute.getFileName() == null || absolute.toString().indexOf('?') >= 0) {
            throw new InvalidInputException("file", "cannot be used as a backup file name: " + absolute);
        }
        if (Files.exists(absolute)) {
            throw new InvalidInputException("file", absolute + " exists already; the backup never overwrites a file");
        }
        if (!Files.isDirectory(absolute.getParent())) {
            throw new InvalidInputException("file", absolute.getParent() + " is not a directory");
        }
        // Built under a hidden name and published only once checked: the real name never holds a
        // partial or damaged copy.
        Path scratch = StoreFiles.scratchBeside(absolute, "backup");
        try {
            StoreFiles.createPrivateFile(scratch);
            try (Connection source = new Connections(file.file(), settings).inspector()) {
                // One step (all pages): a read transaction on a WAL database, so the copy is one
                // snapshot and writers are never held up.
                int rc = source.unwrap(SQLiteConnection.class).getDatabase().backup("main", scratch.toString(), null);
                if (rc != 0) {
                    throw new SQLException("backup ended with SQLite code " + rc, null, rc);
                }
            }
            List<String> problems = integrityCheck(scratch);
            if (!problems.equals(List.of("ok"))) {
                throw new StorageException(Reason.CORRUPT, absolute, "the backup failed its integrity check: "
                        + String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
            }
            try (FileChannel channel = FileChannel.open(scratch, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            if (!StoreFiles.publish(scratch, absolute)) {
                throw new InvalidInputException("file", absolute + " exists already; the backup never overwrites a file");
            }
        } catch (IOException e) {
            throw StoreFiles.ioFailure(absolute, "writing the backup", e);
        } catch (SQLException e) {
            throw SqliteErrors.translate(absolute, "writing the backup", e);
        } finally {
            StoreFiles.deleteWithCompanions(scratch);
        }
    }

    private static List<String> integrityCheck(Path file) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Connection copy = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
                Statement statement = copy.createStatement();
                ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
            while (rows.next()) {
                problems.add(rows.getString(1));
            }
        }
        return problems;
    }
}
