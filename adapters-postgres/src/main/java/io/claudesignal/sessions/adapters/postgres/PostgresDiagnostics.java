package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.application.port.out.HealthCheck;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
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
        checks.add(HealthCheck.guarded("server", () -> db.read(ctx -> HealthCheck.ok("server",
                db.url() + ": PostgreSQL " + PostgresSchema.setting(ctx, "server_version")))));
        checks.add(HealthCheck.guarded("schema", () -> {
            OptionalLong version = PostgresSchema.appliedVersion(db, settings.schema());
            return new HealthCheck("schema", version.isPresent() && version.getAsLong() == PostgresSchema.VERSION,
                    "schema " + settings.schema() + " at version "
                            + (version.isPresent() ? Long.toString(version.getAsLong()) : "none")
                            + " (this program writes " + PostgresSchema.VERSION + ")");
        }));
        checks.add(HealthCheck.guarded("settings", () -> db.read(ctx -> {
            String synchronousCommit = PostgresSchema.setting(ctx, "synchronous_commit");
            String fsync = PostgresSchema.setting(ctx, "fsync");
            String fullPageWrites = PostgresSchema.setting(ctx, "full_page_writes");
            boolean ok = !"off".equalsIgnoreCase(synchronousCommit) && "on".equalsIgnoreCase(fsync)
                    && "on".equalsIgnoreCase(fullPageWrites);
            // As this store's connections have them (start-up options): a pooler that drops them shows here.
            String timeouts = " lock_timeout=" + PostgresSchema.setting(ctx, "lock_timeout")
                    + " statement_timeout=" + PostgresSchema.setting(ctx, "statement_timeout")
                    + " idle_in_transaction_session_timeout="
                    + PostgresSchema.setting(ctx, "idle_in_transaction_session_timeout");
            return new HealthCheck("settings", ok, "synchronous_commit=" + synchronousCommit + " fsync=" + fsync
                    + " full_page_writes=" + fullPageWrites + timeouts);
        })));
        return checks;
    }
}
