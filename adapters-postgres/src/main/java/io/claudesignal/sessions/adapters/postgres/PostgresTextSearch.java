package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.adapters.jdbc.SqlTables;
import io.claudesignal.sessions.adapters.jdbc.TextSearch;
import java.util.List;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Search through the generated {@code tsvector} column {@code transcript_items.search_words} and its
 * GIN index (migration V9); the position is the item's own column, from a sequence. Both are
 * addressed by name: the shared tables have no position, and the build's DDL parser has no text search.
 */
final class PostgresTextSearch implements TextSearch {

    static final PostgresTextSearch INSTANCE = new PostgresTextSearch();
    private static final Field<Object> WORDS = DSL.field(DSL.name("transcript_items", "search_words"));
    private static final Field<Long> POSITION = DSL.field(DSL.name("transcript_items", "position"), Long.class);

    @Override
    public Table<?> items(SqlTables tables) {
        return tables.transcriptItems.table;
    }

    @Override
    public Field<Long> position(SqlTables tables) {
        return POSITION;
    }

    /**
     * The words as one bound value through {@code plainto_tsquery}, which reads no operators: every
     * word must be there. They are letters and digits only, as the indexed text (see the migration).
     */
    @Override
    public Condition holdsAll(SqlTables tables, List<String> words) {
        return DSL.condition("{0} @@ plainto_tsquery('simple'::regconfig, {1})", WORDS, DSL.val(String.join(" ", words)));
    }
}
