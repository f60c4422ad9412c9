package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.domain.NewerSchemaException;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import java.util.List;
import java.util.OptionalLong;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * Brings a store's schema to this code's version before anything else touches it: refuses a schema
 * newer than this code, a schema that holds tables but is not ours, and a server that acknowledges
 * commits before they are durable; then applies the missing migrations.
 */
final class PostgresSchema {

    /** The schema version this code writes: the highest migration in db/migration/postgres. */
    static final long VERSION = 9;

    static final String HISTORY_TABLE = "flyway_schema_history";

    private PostgresSchema() {
    }

    static void prepare(PostgresDatabase db, PostgresSettings settings) {
        requireDurableCommits(db);
        if (refuseNewer(db, settings.schema()) == VERSION) {
            return; // current: no Flyway run, so a CLI command or a second daemon opens in a few queries
        }
        try {
            Flyway.configure(PostgresSchema.class.getClassLoader())
                    .dataSource(db.dataSource())
                    .schemas(settings.schema())
                    .defaultSchema(settings.schema())
                    .createSchemas(true)
                    .table(HISTORY_TABLE)
                    .locations("classpath:db/migration/postgres")
                    .cleanDisabled(true)
                    .load()
                    .migrate(); // under a PostgreSQL advisory lock: concurrent openers migrate once
        } catch (FlywayException e) {
            String message = PostgresErrors.rootMessage(e);
            Reason reason = message.contains("non-empty schema") ? Reason.FOREIGN : PostgresErrors.reasonFor(e);
            throw new StorageException(reason, null, db.url() + ": schema " + settings.schema()
                    + " cannot be used: " + message, e);
        }
        // Another process may have migrated further between the first check and the migration.
        refuseNewer(db, settings.schema());
    }

    /**
     * An acknowledged write must survive a crash of the server. {@code synchronous_commit = off} would
     * acknowledge commits before they are flushed: the store refuses to run on such a server.
     * (The other values, on, local, remote_write and remote_apply, all flush the local WAL first.)
     */
    static void requireDurableCommits(PostgresDatabase db) {
        String synchronousCommit = db.read(ctx -> setting(ctx, "synchronous_commit"));
        if ("off".equalsIgnoreCase(synchronousCommit)) {
            throw new StorageException(Reason.OTHER, null, db.url() + ": synchronous_commit is off, so the server"
                    + " acknowledges commits it could still lose in a crash; set it to on (ALTER DATABASE … SET"
                    + " synchronous_commit = on, or in postgresql.conf) before using this database for sessions");
        }
    }

    static String setting(DSLContext ctx, String name) {
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
            List<String> versions = ctx.select(version).from(DSL.table(DSL.name(schema, HISTORY_TABLE)))
                    .where(DSL.field(DSL.name("success"), Boolean.class).isTrue().and(version.isNotNull()))
                    .fetch(version);
            return versions.stream().mapToLong(PostgresSchema::major).max();
        });
    }

    /** The applied version (0 for none), when it is not newer than this code. */
    private static long refuseNewer(PostgresDatabase db, String schema) {
        OptionalLong applied = appliedVersion(db, schema);
        if (applied.isPresent() && applied.getAsLong() > VERSION) {
            throw new NewerSchemaException(db.url() + " schema " + schema, applied.getAsLong(), VERSION);
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
}
