package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.application.port.out.HealthCheck;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The checks behind {@code sessions check}: integrity, identity, schema, settings, file modes. */
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
            long busy = Pragmas.number(ctx, "busy_timeout");
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
        return checks;
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
