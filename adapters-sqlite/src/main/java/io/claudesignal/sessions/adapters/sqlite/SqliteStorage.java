package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.adapters.jdbc.QuietLibraries;
import io.claudesignal.sessions.adapters.jdbc.SqlPorts;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.SessionRepository;
import io.claudesignal.sessions.application.port.out.StorageAdapter;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A sessions database in one SQLite file: the adapter's public face. {@link #open} makes the file if
 * there is none (owner-only, in an owner-only directory), upgrades a database of the first (Python)
 * daemon in place after backing it up, and refuses, without writing a byte, a file that is damaged,
 * not ours, or newer than this code.
 *
 * <p>Thread-safe; several stores, in one process or many, may share one file.
 */
public final class SqliteStorage implements StorageAdapter {

    static {
        // Before sqlite-jdbc loads its native library, which the first connection does.
        NativeLibrary.prepare();
        QuietLibraries.apply();
    }

    private final SqliteDatabase db;
    private final SqlPorts ports;
    private final SqliteDiagnostics diagnostics;

    private SqliteStorage(SqliteDatabase db, Connections connections, SqliteSettings settings) {
        this.db = db;
        this.ports = new SqlPorts(db, SqliteDialect.INSTANCE, new DaemonNameLocks(db.file()),
                () -> new SqliteWatch(db, connections), new SqliteFiles(db, settings));
        this.diagnostics = new SqliteDiagnostics(db, settings);
    }

    /**
     * Opens (or creates) the database at {@code file}.
     *
     * @throws StorageException      when the file cannot be used; nothing was written to it then
     * @throws InvalidInputException when the path cannot name a database file: not a regular file
     *                               (a directory, FIFO, device, socket), a dangling symbolic link, a
     *                               control character, {@code :memory:}, longer than SQLite takes
     */
    public static SqliteStorage open(Path file, SqliteSettings settings) {
        return open(file, settings, StoreMetrics.NONE);
    }

    /** As {@link #open(Path, SqliteSettings)}, reporting the writer's group commits to {@code metrics}. */
    public static SqliteStorage open(Path file, SqliteSettings settings, StoreMetrics metrics) {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(settings, "settings");
        Path absolute = file.toAbsolutePath().normalize();
        // Before any directory is made: a FIFO, a device, a too-long or odd name is refused as it is.
        StorePath.check(absolute, settings);
        // SQLite quietly opens a file it may not write read-only, and the first write would fail; even
        // a look at it would leave -wal and -shm files behind. Say so now (access(2), no descriptor).
        if (Files.isRegularFile(absolute) && !Files.isWritable(absolute)) {
            throw new StorageException(StorageException.Reason.PERMISSION, absolute, absolute
                    + ": the database file is read-only for this user; the store needs to write it");
        }
        SchemaGuard.prepare(absolute, settings);
        Connections connections = new Connections(absolute, settings);
        SqliteDatabase db = new SqliteDatabase(connections, settings.readers(), metrics).openWriter();
        return new SqliteStorage(db, connections, settings);
    }

    public static SqliteStorage open(Path file) {
        return open(file, SqliteSettings.defaults());
    }

    public Path file() {
        return db.file();
    }

    /** The connections behind this store (for the adapter's own tests). */
    SqliteDatabase database() {
        return db;
    }

    public SessionRepository repository() {
        return ports.repository();
    }

    @Override
    public Persistence persistence() {
        return ports.persistence();
    }

    @Override
    public StorageDiagnostics diagnostics() {
        return diagnostics;
    }

    /** Pinning, purge, export and import, sizes and online backup over this file. */
    @Override
    public StoreOperations operations() {
        return ports.operations();
    }

    @Override
    public void close() {
        ports.close(db::close);
    }
}
