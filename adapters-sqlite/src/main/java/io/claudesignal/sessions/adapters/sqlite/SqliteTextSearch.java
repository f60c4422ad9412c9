package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.adapters.jdbc.SqlTables;
import io.claudesignal.sessions.adapters.jdbc.TextSearch;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Schema;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Search through the FTS5 table {@code transcript_search} (migration V11), whose row id is the item's
 * position in {@code transcript_positions}. FTS5 hands its rows out by row id, newest first, and stops
 * after a page: no sort of every match. The FTS5 table is left out of the generated code (jOOQ reads
 * a virtual table's shadow tables as tables of ours), so it is addressed here by name.
 */
final class SqliteTextSearch implements TextSearch {

    private static final Table<?> INDEX = DSL.table(DSL.name("transcript_search"));
    private static final Field<Long> ROW = DSL.field(DSL.name("transcript_search", "rowid"), Long.class);

    private final Table<?> positions;
    private final Field<Long> position;
    private final Field<UUID> sessionId;
    private final Field<Long> seq;

    @SuppressWarnings("unchecked")
    SqliteTextSearch(Schema generated) {
        positions = generated.getTable("transcript_positions");
        position = (Field<Long>) positions.field("position");
        sessionId = (Field<UUID>) positions.field("session_id");
        seq = (Field<Long>) positions.field("seq");
    }

    @Override
    public Table<?> items(SqlTables tables) {
        SqlTables.TranscriptItems items = tables.transcriptItems;
        return INDEX.join(positions).on(position.eq(ROW))
                .join(items.table).on(items.sessionId.eq(sessionId).and(items.seq.eq(seq)));
    }

    @Override
    public Field<Long> position(SqlTables tables) {
        return ROW;
    }

    /** Each word a quoted string, so that nothing in it is FTS5 syntax; side by side they must all be there. */
    @Override
    public Condition holdsAll(SqlTables tables, List<String> words) {
        String query = words.stream().map(w -> '"' + w.replace("\"", "\"\"") + '"').collect(Collectors.joining(" "));
        return DSL.condition("{0} MATCH {1}", INDEX, DSL.val(query));
    }
}
