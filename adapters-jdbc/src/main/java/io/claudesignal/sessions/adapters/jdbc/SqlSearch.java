package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.application.port.out.SearchRequest;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectField;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The search of the transcripts on any SQL database: one read, the dialect's {@link TextSearch}
 * finding the items, the filters and the order (by position, newest first, from an index, so that a
 * page costs the same on the first page and the hundredth) written here once.
 */
final class SqlSearch {

    private final SqlTransactions db;
    private final SqlRules rules;
    private final TextSearch text;

    SqlSearch(SqlTransactions db, SqlRules rules) {
        this.db = db;
        this.rules = rules;
        this.text = rules.dialect().textSearch();
    }

    List<SearchRequest.Hit> search(SearchRequest request) {
        SqlTables tables = rules.tables();
        SqlTables.TranscriptItems i = tables.transcriptItems;
        SqlTables.Sessions s = tables.sessions;
        Field<Long> position = text.position(tables);
        List<Condition> where = new ArrayList<>();
        where.add(text.holdsAll(tables, request.words()));
        request.sessionId().ifPresent(id -> where.add(i.sessionId.eq(id.value())));
        request.since().ifPresent(since -> where.add(i.appendedAt.ge(since)));
        request.until().ifPresent(until -> where.add(i.appendedAt.lt(until)));
        request.before().ifPresent(before -> where.add(position.lt(before)));
        Table<?> from = text.items(tables);
        if (!request.statuses().isEmpty()) {
            from = from.join(s.table).on(s.id.eq(i.sessionId));
            where.add(s.status.in(request.statuses().stream().map(Enum::name).toList()));
        }
        List<SelectField<?>> columns = new ArrayList<>(i.all);
        columns.add(position);
        Table<?> source = from;
        return db.read(ctx -> {
            List<SearchRequest.Hit> hits = ctx.select(columns).from(source).where(DSL.and(where))
                    .orderBy(position.desc())
                    .limit(request.limit())
                    .fetch(r -> hit(r, i, position));
            if (hits.isEmpty() && request.sessionId().isPresent()) {
                rules.requireSession(ctx, request.sessionId().get());
            }
            return hits;
        });
    }

    private static SearchRequest.Hit hit(Record r, SqlTables.TranscriptItems i, Field<Long> position) {
        return new SearchRequest.Hit(i.toItem(r), r.get(position));
    }
}
