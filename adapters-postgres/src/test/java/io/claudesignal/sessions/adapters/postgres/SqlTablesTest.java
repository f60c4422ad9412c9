package io.claudesignal.sessions.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.adapters.jdbc.SqlTables;
import io.claudesignal.sessions.adapters.postgres.jooq.DefaultSchema;
import java.time.Instant;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/**
 * The shared core takes its tables and columns from the generated schema ({@link SqlTables}); these pin
 * down the SQL it renders from them, which both SQL adapters' migrations must accept: lowercase names,
 * qualified where two tables meet, unqualified where SQL forbids a qualifier (an INSERT's columns, an ON
 * CONFLICT target). (Moved from adapters-jdbc, which has no generated schema of its own.)
 */
class SqlTablesTest {

    private final SqlTables tables = new SqlTables(DefaultSchema.DEFAULT_SCHEMA);

    private static DSLContext render(SQLDialect dialect) {
        return DSL.using(dialect, new Settings().withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_QUOTED));
    }

    @Test
    void anUpsertOfALeaseNamesItsColumnsUnqualified() {
        var l = tables.leases;
        for (SQLDialect dialect : new SQLDialect[] {SQLDialect.POSTGRES, SQLDialect.SQLITE}) {
            String sql = render(dialect).insertInto(l.table)
                    .set(l.sessionId, UUID.randomUUID()).set(l.owner, "o").set(l.token, 1L)
                    .set(l.expiresAt, Instant.EPOCH)
                    .onConflict(l.sessionId).doUpdate().set(l.owner, "o")
                    .getSQL()
                    .replace("\"", ""); // jOOQ quotes for PostgreSQL only: these names need no quotes
            assertThat(sql).as(dialect.name())
                    .startsWith("insert into leases (session_id, owner, token, expires_at)")
                    .contains("on conflict (session_id) do update");
        }
    }

    @Test
    void aJoinQualifiesTheColumnsByTheirTable() {
        var logs = tables.activityLogs;
        var activities = tables.activities;
        String sql = render(SQLDialect.POSTGRES).select(logs.lastSeq, activities.seq).from(logs.table)
                .leftJoin(activities.table).on(activities.sessionId.eq(logs.sessionId))
                .getSQL();
        assertThat(sql).contains("\"activity_logs\".\"last_seq\"", "\"activities\".\"seq\"",
                "\"activities\".\"session_id\" = \"activity_logs\".\"session_id\"");
    }

    @Test
    void aWholeSessionRowIsReadInTheTablesColumnOrder() {
        assertThat(tables.sessions.all).extracting(f -> f.getName())
                .containsExactly("id", "project_path", "thread_id", "status", "created_at", "updated_at", "version",
                        "context", "forked_from_id", "forked_from_seq", "pinned");
        // A summary is the row without the context and the fork's origin.
        assertThat(tables.sessions.summary).hasSize(tables.sessions.all.size() - 3);
    }
}
