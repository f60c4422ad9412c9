package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.application.NewerSchemaException;
import io.claudesignal.sessions.application.StorageException;
import io.claudesignal.sessions.application.StorageException.Reason;
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
import org.sqlite.SQLiteConnection;

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
    static final int SCHEMA_VERSION = 6;
    static final String MIGRATIONS = "classpath:db/migration/sqlite";

    private static final Set<String> REFERENCE_COLUMNS =
            Set.of("id", "project_path", "thread_id", "status", "context", "created_at", "updated_at");
    private static final String HISTORY_TABLE = "flyway_schema_history";
    private static final int ATTEMPTS = 5;

    private SchemaGuard() {
    }

    /** What a file holds, as far as opening it is concerned. */
    enum Kind { MISSING, CURRENT, OLDER, REFERENCE }

    /** Makes {@code file} a current sessions database, or refuses it with a typed error. */
    static void prepare(Path file, SqliteSettings settings) {
        StoreFiles.ensureDirectory(file);
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                switch (inspect(file, settings)) {
                    case CURRENT -> {
                        return;
                    }
                    case MISSING -> createNew(file, settings);
                    case OLDER -> migrate(new Connections(file, settings), false);
                    case REFERENCE -> upgradeReference(file, settings);
                }
            } catch (FlywayException e) {
                // Another process may be migrating the same file right now; look again.
                last = e;
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
        try (Connection connection = new Connections(file, settings).inspector()) {
            DSLContext ctx = SqliteDatabase.context(connection);
            if (Pragmas.number(ctx, "page_count") == 0) {
                // Only a file this store creates may start empty, and it publishes it whole; an empty
                // file under this name is what is left of something, perhaps of a lost database.
                throw new StorageException(Reason.CORRUPT, file, file + ": the file is empty (0 bytes); it is not a "
                        + "sessions database (restore it from a backup, or delete it to start afresh)");
            }
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

    /**
     * A damaged file whose header says WAL makes even a read-only look create an empty -wal and a
     * -shm, which its closing cannot remove: remove them, when they were not there before and the
     * -wal is empty, so that refusing a damaged file leaves nothing beside it. Nobody else can be
     * using a file that does not open.
     */
    private static void removeWhatLookingLeft(Path file, boolean hadWal, boolean hadShm) {
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
        Set<String> tables = new HashSet<>();
        try (ResultSet rs = meta.getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        tables.removeIf(t -> t.startsWith("sqlite_"));
        // flyway_schema_history alone beside it: an upgrade that baselined and then stopped.
        tables.remove(HISTORY_TABLE);
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
        String stamp = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
        Path backup = file.resolveSibling(file.getFileName() + ".pre-upgrade-" + stamp + ".bak");
        Path trial = StoreFiles.scratchBeside(file, "upgrade-trial");
        // The reference made its file world-readable; session context is private, from now on too.
        StoreFiles.makeOwnerOnly(file);
        try {
            backup(file, backup, settings);
            backup(file, trial, settings);
            migrate(new Connections(trial, settings), true);
        } catch (FlywayException e) {
            StoreFiles.deleteWithCompanions(backup);
            throw new StorageException(Reason.UPGRADE_FAILED, file, file + ": the database of the first version could not "
                    + "be upgraded, and was left as it was: " + SqliteErrors.rootMessage(e), e);
        } finally {
            StoreFiles.deleteWithCompanions(trial);
        }
        migrate(new Connections(file, settings), true);
    }

    /** Copies a live database page by page with SQLite's backup API, into a new owner-only file. */
    private static void backup(Path file, Path target, SqliteSettings settings) {
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
            Thread.sleep(20L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
