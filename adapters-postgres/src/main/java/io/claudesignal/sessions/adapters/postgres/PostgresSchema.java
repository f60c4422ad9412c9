package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.application.port.out.HealthCheck;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
import io.claudesignal.sessions.domain.NewerSchemaException;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * A store's schema: brought to this code's version before anything else touches it (refusing a schema
 * newer than this code, one that holds tables but is not ours, and a server that acknowledges commits
 * before they are durable), and checked by {@code sessions check} with the server and its settings.
 */
final class PostgresSchema implements StorageDiagnostics {

    /** The schema version this code writes: the highest migration in db/migration/postgres. */
    static final long VERSION = 9;
    static final String HISTORY_TABLE = "flyway_schema_history";

    private final PostgresDatabase db;
    private final String schema;

    PostgresSchema(PostgresDatabase db) {
        this.db = db;
        this.schema = db.settings().schema();
    }

    static void prepare(PostgresDatabase db) {
        String schema = db.settings().schema();
        requireDurableCommits(db);
        if (refuseNewer(db, schema) == VERSION) {
            return; // current: no Flyway run, so a CLI command or a second daemon opens in a few queries
        }
        try {
            Flyway.configure(PostgresSchema.class.getClassLoader())
                    .dataSource(db.dataSource())
                    .schemas(schema)
                    .defaultSchema(schema)
                    .createSchemas(true)
                    .table(HISTORY_TABLE)
                    .locations("classpath:db/migration/postgres")
                    .cleanDisabled(true)
                    .load()
                    .migrate(); // under a PostgreSQL advisory lock: concurrent openers migrate once
        } catch (FlywayException e) {
            String message = PostgresDialect.rootMessage(e);
            Reason reason = message.contains("non-empty schema") ? Reason.FOREIGN : PostgresDialect.reasonFor(e);
            throw new StorageException(reason, null, db + ": schema " + schema + " cannot be used: " + message, e);
        }
        refuseNewer(db, schema); // another process may have migrated further meanwhile
    }

    /**
     * An acknowledged write must survive a crash of the server: {@code synchronous_commit = off} would
     * acknowledge commits before they are flushed (every other value flushes the local WAL first).
     */
    private static void requireDurableCommits(PostgresDatabase db) {
        if ("off".equalsIgnoreCase(db.read(ctx -> setting(ctx, "synchronous_commit")))) {
            throw new StorageException(Reason.OTHER, null, db + ": synchronous_commit is off, so the server"
                    + " acknowledges commits it could still lose in a crash; set it to on (ALTER DATABASE … SET"
                    + " synchronous_commit = on, or in postgresql.conf) before using this database for sessions");
        }
    }

    private static String setting(DSLContext ctx, String name) {
        return ctx.select(DSL.function("current_setting", String.class, DSL.val(name))).fetchOne(0, String.class);
    }

    /** The highest migration applied to {@code schema}, if it has a migration history. */
    static OptionalLong appliedVersion(PostgresDatabase db, String schema) {
        return db.read(ctx -> {
            // to_regclass: NULL when there is no such table, without scanning information_schema.
            boolean hasHistory = ctx.select(DSL.field(DSL.function("to_regclass", Object.class,
                    DSL.val(schema + "." + HISTORY_TABLE)).isNotNull())).fetchOne(0, Boolean.class);
            if (!hasHistory) {
                return OptionalLong.empty();
            }
            Field<String> version = DSL.field(DSL.name("version"), String.class);
            return ctx.select(version).from(DSL.table(DSL.name(schema, HISTORY_TABLE)))
                    .where(DSL.field(DSL.name("success"), Boolean.class).isTrue().and(version.isNotNull()))
                    .fetch(version).stream().mapToLong(PostgresSchema::major).max();
        });
    }

    /** The applied version (0 for none), when it is not newer than this code. */
    private static long refuseNewer(PostgresDatabase db, String schema) {
        OptionalLong applied = appliedVersion(db, schema);
        if (applied.isPresent() && applied.getAsLong() > VERSION) {
            throw new NewerSchemaException(db + " schema " + schema, applied.getAsLong(), VERSION);
        }
        return applied.orElse(0);
    }

    private static long major(String version) {
        int dot = version.indexOf('.');
        try {
            return Long.parseLong(dot < 0 ? version : version.substring(0, dot));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // not a version this code ever wrote
        }
    }

    /** The checks behind {@code sessions check}: the server, the schema version, the durability settings. */
    @Override
    public List<HealthCheck> run() {
        List<HealthCheck> checks = new ArrayList<>();
        checks.add(HealthCheck.guarded("server", () -> db.read(ctx -> HealthCheck.ok("server",
                db + ": PostgreSQL " + setting(ctx, "server_version")))));
        checks.add(HealthCheck.guarded("schema", () -> {
            OptionalLong version = appliedVersion(db, schema);
            return new HealthCheck("schema", version.isPresent() && version.getAsLong() == VERSION, "schema " + schema
                    + " at version " + (version.isPresent() ? Long.toString(version.getAsLong()) : "none")
                    + " (this program writes " + VERSION + ")");
        }));
        checks.add(HealthCheck.guarded("settings", () -> db.read(ctx -> {
            String synchronousCommit = setting(ctx, "synchronous_commit");
            String fsync = setting(ctx, "fsync");
            String fullPageWrites = setting(ctx, "full_page_writes");
            boolean ok = !"off".equalsIgnoreCase(synchronousCommit) && "on".equalsIgnoreCase(fsync)
                    && "on".equalsIgnoreCase(fullPageWrites);
            // As this store's connections have them (start-up options): a pooler that drops them shows here.
            String timeouts = " lock_timeout=" + setting(ctx, "lock_timeout") + " statement_timeout="
                    + setting(ctx, "statement_timeout") + " idle_in_transaction_session_timeout="
                    + setting(ctx, "idle_in_transaction_session_timeout");
            return new HealthCheck("settings", ok, "synchronous_commit=" + synchronousCommit + " fsync=" + fsync
                    + " full_page_writes=" + fullPageWrites + timeouts);
        })));
        return checks;
    }
}
