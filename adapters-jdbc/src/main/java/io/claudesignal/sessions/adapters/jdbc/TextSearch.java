package io.claudesignal.sessions.adapters.jdbc;

import java.util.List;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Table;

/**
 * How a database finds the transcript items that hold some words: the one part of a search that
 * differs by database ({@link SqlDialect#textSearch()}). Each keeps its index itself, in the
 * transaction of every insert and delete of {@code transcript_items} (SQLite: an FTS5 table kept by
 * triggers; PostgreSQL: a generated {@code tsvector} column under a GIN index), so that no statement of
 * the core has to remember it. {@link SqlSearch} writes the rest of the query once.
 */
public interface TextSearch {

    /** What a search selects from: {@code transcript_items}, joined with whatever finds its rows. */
    Table<?> items(SqlTables tables);

    /** Each item's position, rising in the order items were stored (see SearchRequest). */
    Field<Long> position(SqlTables tables);

    /** The items whose text holds every one of {@code words} (lower case, letters and digits only). */
    Condition holdsAll(SqlTables tables, List<String> words);
}
