package io.claudesignal.sessions.adapters.sqlite;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.util.List;
import org.jooq.DSLContext;

/**
 * Reads SQLite settings through the pragma table-valued functions ({@code SELECT * FROM
 * pragma_user_version}), which jOOQ can name like any table: no SQL text is written by hand.
 */
final class Pragmas {

    private Pragmas() {
    }

    static long number(DSLContext ctx, String pragma) {
        Object value = ctx.select(field(name(pragma))).from(table(name("pragma_" + pragma))).fetchOne(0);
        return value == null ? 0 : ((Number) value).longValue();
    }

    static String text(DSLContext ctx, String pragma) {
        Object value = ctx.select(field(name(pragma))).from(table(name("pragma_" + pragma))).fetchOne(0);
        return value == null ? "" : value.toString();
    }

    /** {@code PRAGMA integrity_check}: exactly {@code ["ok"]} for a sound file, else the problems found. */
    static List<String> integrityCheck(DSLContext ctx) {
        return ctx.select(field(name("integrity_check"), String.class))
                .from(table(name("pragma_integrity_check"))).fetch().getValues(0, String.class);
    }
}
