package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.application.port.out.HealthCheck;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.jooq.DSLContext;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The checks behind {@code sessions check}: integrity, identity, schema, settings, file modes, and the
 * newest pre-upgrade backup, when there is one.
 */
final class SqliteDiagnostics implements StorageDiagnostics {

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final SqliteDatabase db;
    private final SqliteSettings settings;

    SqliteDiagnostics(SqliteDatabase db, SqliteSettings settings) {
        this.db = db;
        this.settings = settings;
    }

    @Override
    public List<HealthCheck> run() {
        List<HealthCheck> checks = new ArrayList<>();
        checks.add(HealthCheck.guarded("integrity", () -> {
            List<String> problems = db.read(Pragmas::integrityCheck);
            return problems.equals(List.of("ok"))
                    ? HealthCheck.ok("integrity", "PRAGMA integrity_check: ok")
                    : HealthCheck.failed("integrity", db.file() + " is damaged: "
                            + String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
        }));
        checks.add(HealthCheck.guarded("identity", () -> {
            long id = db.read(ctx -> Pragmas.number(ctx, "application_id"));
            return new HealthCheck("identity", id == SchemaGuard.APPLICATION_ID,
                    String.format("application_id 0x%08x", id));
        }));
        checks.add(HealthCheck.guarded("schema", () -> {
            long version = db.read(ctx -> Pragmas.number(ctx, "user_version"));
            return new HealthCheck("schema", version == SchemaGuard.SCHEMA_VERSION,
                    "version " + version + " (this program writes " + SchemaGuard.SCHEMA_VERSION + ")");
        }));
        checks.add(HealthCheck.guarded("settings", () -> db.onWriter(ctx -> {
            String journal = Pragmas.text(ctx, "journal_mode");
            long synchronous = Pragmas.number(ctx, "synchronous");
            // The writer waits through its own busy handler (which measures the waits): its limit is the
            // one in force (the busy_timeout pragma reads 0 once a handler replaces it).
            long busy = db.writerBusyTimeout().toMillis();
            long foreignKeys = Pragmas.number(ctx, "foreign_keys");
            long secureDelete = Pragmas.number(ctx, "secure_delete");
            long wantedSync = switch (settings.synchronous()) {
                case NORMAL -> 1;
                case FULL -> 2;
                case EXTRA -> 3;
            };
            boolean ok = journal.equalsIgnoreCase("wal") && synchronous == wantedSync && busy >= 5000
                    && foreignKeys == 1 && secureDelete == 1;
            return new HealthCheck("settings", ok, "journal_mode=" + journal + " synchronous=" + synchronous
                    + " busy_timeout=" + busy + "ms foreign_keys=" + foreignKeys + " secure_delete=" + secureDelete);
        })));
        checks.add(modes());
        newestBackup().ifPresent(backup -> checks.add(HealthCheck.guarded("backup", () -> verify(backup))));
        return checks;
    }

    /** The newest pre-upgrade backup beside the database, by time, then by name. */
    private Optional<Path> newestBackup() {
        Path file = db.file();
        String prefix = file.getFileName() + SchemaGuard.BACKUP_INFIX;
        try (Stream<Path> entries = Files.list(file.getParent())) {
            return entries.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(prefix) && name.endsWith(SchemaGuard.BACKUP_SUFFIX)
                        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
            }).max(Comparator.comparing((Path p) -> {
                try {
                    return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
                } catch (IOException e) {
                    return Instant.MIN;
                }
            }).thenComparing(p -> p.getFileName().toString()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * A backup is only worth naming if it would restore: SQLite's integrity check over all of it, and
     * its sessions table read to the end. It is opened read-only; nothing is written to it.
     */
    private HealthCheck verify(Path backup) {
        // Backups of earlier versions are in WAL mode: a read-only look at one makes a -wal and a -shm.
        boolean hadWal = Files.exists(StoreFiles.companion(backup, "-wal"));
        boolean hadShm = Files.exists(StoreFiles.companion(backup, "-shm"));
        try {
            return verifyOpen(backup);
        } finally {
            SchemaGuard.removeWhatLookingLeft(backup, hadWal, hadShm);
        }
    }

    private HealthCheck verifyOpen(Path backup) {
        try (Connection connection = new Connections(backup, settings).inspector()) {
            DSLContext ctx = SqliteDatabase.context(connection);
            List<String> problems = Pragmas.integrityCheck(ctx);
            if (!problems.equals(List.of("ok"))) {
                return HealthCheck.failed("backup", backup + " is damaged: "
                        + String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
            }
            long rows;
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM sessions")) {
                rows = rs.next() ? rs.getLong(1) : 0;
            }
            return HealthCheck.ok("backup", backup.getFileName() + ": integrity ok, " + rows + " sessions");
        } catch (SQLException | RuntimeException e) {
            return HealthCheck.failed("backup", backup + " cannot be read as a database: " + SqliteErrors.rootMessage(e));
        }
    }

    private HealthCheck modes() {
        Path file = db.file();
        List<String> seen = new ArrayList<>();
        boolean ok = true;
        try {
            // The directory is reported but never fails: the store opens any existing directory (it makes
            // a missing one 0700), and the files' own modes keep others out of the data. Check and open
            // agree on that one rule: the files must be owner-only, the directory is the embedder's.
            describe(file.getParent(), "directory", seen);
            ok &= describe(file, "database", seen);
            for (String suffix : List.of("-wal", "-shm")) {
                Path companion = StoreFiles.companion(file, suffix);
                if (Files.exists(companion, LinkOption.NOFOLLOW_LINKS)) {
                    ok &= describe(companion, suffix.substring(1), seen);
                }
            }
        } catch (UnsupportedOperationException e) {
            return HealthCheck.ok("file modes", "not a POSIX file system: modes not checked");
        } catch (IOException e) {
            return HealthCheck.failed("file modes", "could not read: " + e.getMessage());
        }
        return new HealthCheck("file modes", ok, String.join(", ", seen) + (ok ? "" : " (the files should be owner-only)"));
    }

    private static boolean describe(Path path, String what, List<String> seen) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        seen.add(what + " " + PosixFilePermissions.toString(permissions));
        return permissions.stream().noneMatch(GROUP_OR_OTHERS::contains);
    }
}
