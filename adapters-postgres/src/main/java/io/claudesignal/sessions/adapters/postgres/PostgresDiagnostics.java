package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.application.port.in.HealthCheck;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
import io.claudesignal.sessions.domain.SessionsException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** The checks behind {@code sessions check}: the server, the schema version, the durability settings. */
final class PostgresDiagnostics implements StorageDiagnostics {

    private final PostgresDatabase db;
    private final PostgresSettings settings;

    PostgresDiagnostics(PostgresDatabase db, PostgresSettings settings) {
        this.db = db;
        this.settings = settings;
    }

    @Override
    public List<HealthCheck> run() {
        List<HealthCheck> checks = new ArrayList<>();
        guarded(checks, "server", () -> db.read(ctx -> HealthCheck.ok("server",
                db.url() + ": PostgreSQL " + PostgresSchema.setting(ctx, "server_version"))));
        guarded(checks, "schema", () -> {
            OptionalLong version = PostgresSchema.appliedVersion(db, settings.schema());
            return new HealthCheck("schema", version.isPresent() && version.getAsLong() == PostgresSchema.VERSION,
                    "schema " + settings.schema() + " at version "
                            + (version.isPresent() ? Long.toString(version.getAsLong()) : "none")
                            + " (this program writes " + PostgresSchema.VERSION + ")");
        });
        guarded(checks, "settings", () -> db.read(ctx -> {
            String synchronousCommit = PostgresSchema.setting(ctx, "synchronous_commit");
            String fsync = PostgresSchema.setting(ctx, "fsync");
            String fullPageWrites = PostgresSchema.setting(ctx, "full_page_writes");
            boolean ok = !"off".equalsIgnoreCase(synchronousCommit) && "on".equalsIgnoreCase(fsync)
                    && "on".equalsIgnoreCase(fullPageWrites);
            return new HealthCheck("settings", ok, "synchronous_commit=" + synchronousCommit + " fsync=" + fsync
                    + " full_page_writes=" + fullPageWrites);
        }));
        return checks;
    }

    private interface Check {
        HealthCheck run();
    }

    private static void guarded(List<HealthCheck> checks, String name, Check check) {
        try {
            checks.add(check.run());
        } catch (SessionsException e) {
            checks.add(HealthCheck.failed(name, e.getMessage()));
        }
    }
}
