package io.claudesignal.sessions.adapters.sqlite;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * Reads SQLite settings through the pragma table-valued functions ({@code SELECT * FROM
 * pragma_user_version}), which jOOQ can name like any table: no SQL text is written by hand.
 */
final class Pragmas {

    private Pragmas() {
    }

    static long number(DSLContext ctx, String pragma) {
        Object value = first(ctx, pragma);
        return value == null ? 0 : ((Number) value).longValue();
    }

    static String text(DSLContext ctx, String pragma) {
        Object value = first(ctx, pragma);
        return value == null ? "" : value.toString();
    }

    // Column names differ from pragma names (busy_timeout's is "timeout"): take the first column.
    private static Object first(DSLContext ctx, String pragma) {
        Record row = ctx.selectFrom(table(name("pragma_" + pragma))).fetchOne();
        return row == null ? null : row.get(0);
    }

    /** {@code PRAGMA integrity_check}: exactly {@code ["ok"]} for a sound file, else the problems found. */
    static List<String> integrityCheck(DSLContext ctx) {
        return ctx.select(field(name("integrity_check"), String.class))
                .from(table(name("pragma_integrity_check"))).fetch().getValues(0, String.class);
    }
}
