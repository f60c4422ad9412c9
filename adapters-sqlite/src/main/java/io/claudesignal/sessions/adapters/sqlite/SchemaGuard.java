package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.domain.NewerSchemaException;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jooq.DSLContext;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteOpenMode;

/**
 * Decides, before anything is written, whether a file may be opened, and brings it to the current
 * schema: a new database is made whole in a scratch file and only then published; a database of the
 * reference (Python) daemon is backed up, tried on a copy, and then upgraded in place; ours is
 * migrated forward; anything else is refused untouched.
 */
final class SchemaGuard {

    /** {@code PRAGMA application_id} of our files: 0x43534553, "CSES". */
    static final int APPLICATION_ID = 0x43534553;
    /** The schema version this code writes: the number of the newest migration. */
    static final int SCHEMA_VERSION = 12;
    static final String MIGRATIONS = "classpath:db/migration/sqlite";

    private static final Set<String> REFERENCE_COLUMNS =
            Set.of("id", "project_path", "thread_id", "status", "context", "created_at", "updated_at");
    private static final String HISTORY_TABLE = "flyway_schema_history";
    private static final int ATTEMPTS = 5;
    static final String BACKUP_INFIX = ".pre-upgrade-";
    static final String BACKUP_SUFFIX = ".bak";
    private static final DateTimeFormatter BACKUP_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'");

    private SchemaGuard() {
    }

    /** What a file holds, as far as opening it is concerned. */
    enum Kind { MISSING, EMPTY, CURRENT, OLDER, REFERENCE }

    /** Makes {@code file} a current sessions database, or refuses it with a typed error. */
    static void prepare(Path file, SqliteSettings settings) {
        StoreFiles.ensureDirectory(file);
        StoreFiles.removeLeftovers(file);
        RuntimeException last = null;
        // Another process migrating the same file holds it for as long as its migrations take, which on
        // a busy machine is more than a few fixed tries: wait for it as for any other lock, up to the
        // busy timeout.
        long deadline = System.nanoTime() + settings.busyTimeout().toNanos();
        boolean waiting = false;
        for (int attempt = 1; attempt <= ATTEMPTS || waiting; attempt++) {
            waiting = false;
            try {
                switch (inspect(file, settings)) {
                    case CURRENT -> {
                        StoreFiles.tightenCompanions(file);
                        return;
                    }
                    case MISSING -> createNew(file, settings);
                    case EMPTY -> {
                        // As SQLite (and the Python daemon's fixtures) see it: a new database. Built in
                        // place, so that nothing can replace a file another process may have begun to
                        // fill; a migration cut short leaves it empty again, or at a version to continue.
                        StoreFiles.makeOwnerOnly(file);
                        migrate(new Connections(file, settings), false);
                    }
                    case OLDER -> {
                        // Some migrations rewrite what is stored (V11 indexes every transcript): keep
                        // the file as it was beside it first, as for an upgrade of the reference's.
                        backup(file, settings);
                        migrate(new Connections(file, settings), false);
                    }
                    case REFERENCE -> upgradeReference(file, settings);
                }
            } catch (FlywayException e) {
                // Another process may be migrating the same file right now; look again.
                last = e;
                waiting = System.nanoTime() < deadline;
                pause(attempt);
            }
        }
        throw new StorageException(Reason.UPGRADE_FAILED, file, file + ": could not bring the database to schema version "
                + SCHEMA_VERSION + ": " + (last == null ? "it kept changing" : SqliteErrors.rootMessage(last)), last);
    }

    /** Looks at the file through a read-only connection that sets nothing, so nothing can be written. */
    static Kind inspect(Path file, SqliteSettings settings) {
        if (!Files.exists(file)) {
            return Kind.MISSING;
        }
        if (Files.isDirectory(file)) {
            throw new StorageException(Reason.FOREIGN, file, file + ": is a directory, not a database file");
        }
        boolean hadWal = Files.exists(StoreFiles.companion(file, "-wal"));
        boolean hadShm = Files.exists(StoreFiles.companion(file, "-shm"));
        if (isZeroBytes(file)) {
            return emptyOrDamaged(file);
        }
        try (Connection connection = new Connections(file, settings).inspector()) {
            DSLContext ctx = SqliteDatabase.context(connection);
            long applicationId = Pragmas.number(ctx, "application_id");
            long version = Pragmas.number(ctx, "user_version");
            if (applicationId == APPLICATION_ID) {
                if (version > SCHEMA_VERSION) {
                    throw new NewerSchemaException(file, version, SCHEMA_VERSION);
                }
                return version == SCHEMA_VERSION ? Kind.CURRENT : Kind.OLDER;
            }
            if (applicationId == 0 && version == 0 && isReference(connection.getMetaData())) {
                return Kind.REFERENCE;
            }
            if (applicationId == 0 && version == 0 && userTables(connection.getMetaData()).isEmpty()) {
                // A blank SQLite database, or a new one whose first migration was cut short.
                return Kind.EMPTY;
            }
            throw new StorageException(Reason.FOREIGN, file, file + ": is a SQLite database, but not a sessions "
                    + "database (application_id " + applicationId + "); refusing to touch it");
        } catch (SQLException | RuntimeException e) {
            if (e instanceof StorageException storage) {
                throw storage;
            }
            StorageException error = SqliteErrors.translate(file, "opening", e);
            if (error.reason() == Reason.CORRUPT) {
                removeWhatLookingLeft(file, hadWal, hadShm);
                throw new StorageException(Reason.CORRUPT, file, file + ": is damaged or not a SQLite database ("
                        + SqliteErrors.rootMessage(e) + "); refusing to touch it", e);
            }
            throw error;
        }
    }

    private static boolean isZeroBytes(Path file) {
        try {
            return Files.size(file) == 0;
        } catch (IOException e) {
            throw StoreFiles.ioFailure(file, "looking at the file", e);
        }
    }

    /**
     * A 0-byte file is a new database, unless a {@code -wal} with content lies beside it: a database
     * in WAL mode has at least its header page in the file (switching to WAL writes it), so its pages
     * are somewhere, and the file is what is left of a damaged database. A {@code -journal} beside a
     * 0-byte file is, as SQLite itself rules, the remnant of a first transaction (rolled back, or
     * another process's, still running): SQLite deletes it or waits for it.
     */
    private static Kind emptyOrDamaged(Path file) {
        Path wal = StoreFiles.companion(file, "-wal");
        try {
            if (Files.exists(wal) && Files.size(wal) > 0) {
                throw new StorageException(Reason.CORRUPT, file, file + ": the file is empty (0 bytes) but its -wal "
                        + "holds " + Files.size(wal) + " bytes: that is a damaged database, not a new one; refusing to "
                        + "touch it (restore it from a backup, or move both away to start afresh)");
            }
        } catch (IOException e) {
            throw StoreFiles.ioFailure(wal, "looking at the file", e);
        }
        return Kind.EMPTY;
    }

    /**
     * A damaged file whose header says WAL makes even a read-only look create an empty -wal and a
     * -shm, which its closing cannot remove: remove them, when they were not there before and the
     * -wal is empty, so that refusing a damaged file leaves nothing beside it. Nobody else can be
     * using a file that does not open.
     */
    static void removeWhatLookingLeft(Path file, boolean hadWal, boolean hadShm) {
        Path wal = StoreFiles.companion(file, "-wal");
        try {
            if (hadWal || (Files.exists(wal) && Files.size(wal) > 0)) {
                return;
            }
            Files.deleteIfExists(wal);
            if (!hadShm) {
                Files.deleteIfExists(StoreFiles.companion(file, "-shm"));
            }
        } catch (IOException ignored) {
            // Leftovers are harmless; the refusal is what matters.
        }
    }

    /** The reference's one table, with exactly its columns, and nothing else of anyone else's. */
    private static boolean isReference(DatabaseMetaData meta) throws SQLException {
        Set<String> tables = userTables(meta);
        if (!tables.equals(Set.of("sessions"))) {
            return false;
        }
        Set<String> columns = new HashSet<>();
        try (ResultSet rs = meta.getColumns(null, null, "sessions", "%")) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return columns.equals(REFERENCE_COLUMNS);
    }

    /** The tables of a database, leaving out SQLite's own and Flyway's history (a migration that stopped). */
    private static Set<String> userTables(DatabaseMetaData meta) throws SQLException {
        Set<String> tables = new HashSet<>();
        try (ResultSet rs = meta.getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        tables.removeIf(t -> t.startsWith("sqlite_"));
        tables.remove(HISTORY_TABLE);
        return tables;
    }

    /** Builds the whole schema in a private scratch file, then publishes it under the real name. */
    private static void createNew(Path file, SqliteSettings settings) {
        Path scratch = StoreFiles.scratchBeside(file, "new");
        try {
            StoreFiles.createPrivateFile(scratch);
            migrate(new Connections(scratch, settings), false);
            StoreFiles.publish(scratch, file);
        } catch (IOException e) {
            throw StoreFiles.ioFailure(file, "creating the database", e);
        } finally {
            StoreFiles.deleteWithCompanions(scratch);
        }
    }

    /**
     * Upgrades a reference database in place, losing nothing: first a consistent backup beside it,
     * then the upgrade tried on a copy, so that data it cannot carry over fails the upgrade before
     * the original is touched; then the same migrations on the original, where the conversion runs
     * in one transaction.
     */
    private static void upgradeReference(Path file, SqliteSettings settings) {
        Path trial = StoreFiles.scratchBeside(file, "upgrade-trial");
        // The reference made its file world-readable; session context is private, from now on too.
        StoreFiles.makeOwnerOnly(file);
        Path backup = null;
        try {
            backup = backup(file, settings);
            copy(file, trial, settings);
            migrate(new Connections(trial, settings), true);
        } catch (FlywayException e) {
            if (backup != null) {
                StoreFiles.deleteWithCompanions(backup);
            }
            throw new StorageException(Reason.UPGRADE_FAILED, file, file + ": the database of the first version could not "
                    + "be upgraded, and was left as it was: " + SqliteErrors.rootMessage(e), e);
        } finally {
            StoreFiles.deleteWithCompanions(trial);
        }
        migrate(new Connections(file, settings), true);
    }

    /**
     * Writes the backup under a hidden temporary name, syncs it, and only then gives it its name
     * ({@code NAME.pre-upgrade-<UTC time to the millisecond>[-n].bak}) with a link that cannot replace
     * a file: a file under a backup's name is always whole, and two upgrades never write one name.
     */
    private static Path backup(Path file, SqliteSettings settings) {
        Path temp = StoreFiles.scratchBeside(file, "backup");
        try {
            copy(file, temp, settings);
            selfContained(temp);
            StoreFiles.sync(temp);
            String stamp = LocalDateTime.now(ZoneOffset.UTC).format(BACKUP_STAMP);
            for (int n = 0; n < 1000; n++) {
                Path name = file.resolveSibling(file.getFileName() + BACKUP_INFIX + stamp + (n == 0 ? "" : "-" + n)
                        + BACKUP_SUFFIX);
                if (StoreFiles.publish(temp, name)) {
                    StoreFiles.syncDirectory(file.getParent());
                    return name;
                }
            }
            throw new IOException("1000 backups named after the same millisecond already exist");
        } catch (IOException e) {
            throw StoreFiles.ioFailure(file, "writing the backup", e);
        } finally {
            StoreFiles.deleteWithCompanions(temp);
        }
    }

    /**
     * Takes a copy out of WAL mode: a backup is then one file, and opening it read-only (as
     * {@code check} does) makes no {@code -wal} or {@code -shm} beside it.
     */
    private static void selfContained(Path copy) {
        SQLiteConfig config = new SQLiteConfig();
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        config.setJournalMode(SQLiteConfig.JournalMode.DELETE);
        try (Connection connection = config.createConnection("jdbc:sqlite:" + copy)) {
            connection.isValid(0);
        } catch (SQLException e) {
            throw SqliteErrors.translate(copy, "writing the backup", e);
        }
    }

    /** Copies a live database page by page with SQLite's backup API, into a new owner-only file. */
    private static void copy(Path file, Path target, SqliteSettings settings) {
        try {
            StoreFiles.createPrivateFile(target);
            try (Connection source = new Connections(file, settings).inspector()) {
                int rc = source.unwrap(SQLiteConnection.class).getDatabase().backup("main", target.toString(), null);
                if (rc != 0) {
                    throw new SQLException("backup ended with SQLite code " + rc, null, rc);
                }
            }
        } catch (IOException e) {
            throw StoreFiles.ioFailure(target, "writing the backup", e);
        } catch (SQLException e) {
            StoreFiles.deleteWithCompanions(target);
            throw SqliteErrors.translate(target, "writing the backup", e);
        }
    }

    private static void migrate(Connections connections, boolean fromReference) {
        Flyway.configure(SchemaGuard.class.getClassLoader())
                .dataSource(connections.migrations())
                .locations(MIGRATIONS)
                .table(HISTORY_TABLE)
                .baselineOnMigrate(fromReference)
                .baselineVersion("1")
                .baselineDescription("reference (Python) schema")
                .cleanDisabled(true)
                .validateMigrationNaming(true)
                .load()
                .migrate();
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(20L * attempt, 200L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
