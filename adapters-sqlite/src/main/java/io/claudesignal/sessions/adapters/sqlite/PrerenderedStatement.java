package io.claudesignal.sessions.adapters.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.conf.ParamType;

/**
 * A statement of a hot path (get, create, transition), rendered by jOOQ once, from the generated
 * schema, and then run through JDBC on the connection's kept statements ({@link StatementCachingConnection}).
 * Rendering a query costs more than SQLite takes to answer it (the benchmarks module measured jOOQ
 * at about two thirds of a {@code get}), so these few are not rendered per call. The SQL is still
 * jOOQ's: no statement text is written by hand.
 *
 * <p>The query is built with named parameters; their order in the rendered text decides the order
 * of the JDBC parameters. Values are bound as the database types (text, integers).
 */
final class PrerenderedStatement {

    private static final Pattern NAMED = Pattern.compile(":(\\w+)");

    private final String sql;
    /** For each JDBC parameter, the index of its value in the {@code names} given to {@link #render}. */
    private final int[] valueIndex;

    private PrerenderedStatement(String sql, int[] valueIndex) {
        this.sql = sql;
        this.valueIndex = valueIndex;
    }

    /** Renders {@code query}, whose parameters are exactly the named ones in {@code names}. */
    static PrerenderedStatement render(Query query, String... names) {
        String named = query.getSQL(ParamType.NAMED);
        List<String> declared = Arrays.asList(names);
        List<Integer> order = new ArrayList<>();
        Matcher m = NAMED.matcher(named);
        StringBuilder sql = new StringBuilder();
        while (m.find()) {
            int index = declared.indexOf(m.group(1));
            if (index < 0) {
                throw new IllegalStateException("unexpected parameter :" + m.group(1) + " in " + named);
            }
            order.add(index);
            m.appendReplacement(sql, "?");
        }
        m.appendTail(sql);
        return new PrerenderedStatement(sql.toString(), order.stream().mapToInt(Integer::intValue).toArray());
    }

    String sql() {
        return sql;
    }

    /**
     * The statement on {@code ctx}'s connection with {@code values} bound (in the order of the
     * names given to {@link #render}). Closing it returns it to the connection's cache.
     */
    PreparedStatement prepare(DSLContext ctx, Object... values) throws SQLException {
        Connection connection = ctx.configuration().connectionProvider().acquire();
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < valueIndex.length; i++) {
                statement.setObject(i + 1, values[valueIndex[i]]);
            }
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
        return statement;
    }
}
