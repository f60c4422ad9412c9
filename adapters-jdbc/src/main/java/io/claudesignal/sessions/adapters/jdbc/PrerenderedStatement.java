package io.claudesignal.sessions.adapters.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.Converter;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.conf.ParamType;
import org.jooq.impl.DSL;

/**
 * A statement of a hot path (get, create, transition, append), rendered by jOOQ once and then run
 * through JDBC on the connection's own statements (kept by the SQLite adapter; the PostgreSQL driver
 * caches what it parsed per connection). Rendering a query costs more than the database takes to answer
 * it (measured: about two thirds of a SQLite {@code get}), so these few are not rendered per call. The
 * SQL is still jOOQ's: no statement text is written by hand.
 *
 * <p>The query is built with named parameters; their order in the rendered text decides the order
 * of the JDBC parameters. Values are bound as the database types: {@link #db} converts a value of a
 * column through that column's converter (text on SQLite, native types on PostgreSQL).
 */
public final class PrerenderedStatement {

    private static final Pattern NAMED = Pattern.compile(":(\\w+)");

    private final String sql;
    /** For each JDBC parameter, the index of its value in the {@code names} given to {@link #render}. */
    private final int[] valueIndex;

    private PrerenderedStatement(String sql, int[] valueIndex) {
        this.sql = sql;
        this.valueIndex = valueIndex;
    }

    /** Renders {@code query}, whose parameters are exactly the named ones in {@code names}. */
    public static PrerenderedStatement render(Query query, String... names) {
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

    /**
     * The statement on {@code ctx}'s connection with {@code values} bound (in the order of the
     * names given to {@link #render}). Closing it returns it to the connection's cache, if any.
     */
    public PreparedStatement prepare(DSLContext ctx, Object... values) throws SQLException {
        Connection connection = ctx.configuration().connectionProvider().acquire();
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            bind(statement, values);
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
        return statement;
    }

    /** Binds {@code values} (in the order of the names given to {@link #render}) again, for a batch. */
    public void bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < valueIndex.length; i++) {
            statement.setObject(i + 1, values[valueIndex[i]]);
        }
    }

    /** {@code value} as {@code column} stores it, to be bound. */
    public static <T> Object db(Field<T> column, T value) {
        Object stored = value == null ? null : column.getConverter().to(value);
        // A native timestamptz (jOOQ's INSTANT is Instant itself): JDBC drivers bind an OffsetDateTime.
        return stored instanceof Instant instant ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : stored;
    }

    /** Column {@code index} of the current row, read as {@code column} stores it and converted back. */
    public static <T> T read(ResultSet row, int index, Field<T> column) throws SQLException {
        return fromDb(row, index, column.getConverter());
    }

    @SuppressWarnings("unchecked")
    private static <D, T> T fromDb(ResultSet row, int index, Converter<D, T> converter) throws SQLException {
        if (converter.fromType() == Instant.class) {
            OffsetDateTime at = row.getObject(index, OffsetDateTime.class);
            return at == null ? null : converter.from((D) at.toInstant());
        }
        D stored = row.getObject(index, converter.fromType());
        return stored == null ? null : converter.from(stored);
    }

    /** A named parameter typed as {@code like}, for a query to render with {@link #render}. */
    public static <T> Param<T> param(String name, Field<T> like) {
        return DSL.param(name, like.getDataType());
    }

    /**
     * Statements rendered the first time a context asks for them, with that context's dialect and
     * settings: one holder belongs to one database, so every later context renders the same text.
     */
    public static final class Once<T> {
        private final Function<DSLContext, T> render;
        private volatile T rendered;

        public Once(Function<DSLContext, T> render) {
            this.render = render;
        }

        public T get(DSLContext ctx) {
            T done = rendered;
            if (done == null) {
                // Rendering twice in a race is harmless: both render the same text.
                done = render.apply(DSL.using(ctx.dialect(), ctx.settings()));
                rendered = done;
            }
            return done;
        }
    }
}
