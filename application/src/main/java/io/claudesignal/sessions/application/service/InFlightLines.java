package io.claudesignal.sessions.application.service;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.claudesignal.sessions.application.port.out.SessionArchive;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.ApprovalId;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.SessionId;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The part of a line of {@link ExportFormat} that version 3 added: a session's approvals, inbox and
 * outbox, each stored JSON value (request, message, reply) as its exact text in a JSON string, as
 * version 2 embeds contexts and items. Kept apart from {@link ExportLineReader}, which reads the rest.
 * A reply's id is not written: the outbox is numbered store-wide, so an import numbers the replies
 * anew in the order written (their enqueue order), and the line stays the same bytes in any store.
 */
final class InFlightLines {

    private InFlightLines() {
    }

    static void write(JsonGenerator g, SessionArchive archive) throws IOException {
        g.writeArrayFieldStart("approvals");
        for (Approval a : archive.approvals()) {
            g.writeStartObject();
            g.writeStringField("id", a.id().toString());
            g.writeNumberField("seq", a.seq());
            g.writeStringField("key", a.key());
            g.writeStringField("state", a.state().name());
            g.writeStringField("requestedBy", a.requestedBy().value());
            g.writeStringField("requestedAt", ExportFormat.text(a.requestedAt()));
            g.writeStringField("expiresAt", ExportFormat.text(a.expiresAt()));
            optional(g, "decidedAt", a.decidedAt().map(ExportFormat::text));
            optional(g, "decidedBy", a.decidedBy().map(Actor::value));
            optional(g, "note", a.note());
            g.writeStringField("request", a.request());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("inbox");
        for (InboxMessage m : archive.inbox()) {
            g.writeStartObject();
            g.writeNumberField("seq", m.seq());
            g.writeStringField("key", m.key());
            g.writeStringField("state", m.state().name());
            g.writeStringField("receivedAt", ExportFormat.text(m.receivedAt()));
            g.writeStringField("message", m.json());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("outbox");
        for (Reply r : archive.outbox()) {
            g.writeStartObject();
            g.writeStringField("key", r.key());
            g.writeStringField("state", r.state().name());
            g.writeNumberField("attempts", r.attempts());
            g.writeStringField("dueAt", ExportFormat.text(r.dueAt()));
            optional(g, "lastError", r.lastError());
            g.writeStringField("queuedAt", ExportFormat.text(r.queuedAt()));
            g.writeStringField("reply", r.json());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** The domain's refusal, naming the line's field rather than the domain's own name for it. */
    static InvalidInputException renamed(String field, InvalidInputException e) {
        String prefix = e.field() + ": ";
        String reason = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
        return new InvalidInputException(field, reason);
    }

    private static void optional(JsonGenerator g, String name, Optional<String> value) throws IOException {
        g.writeFieldName(name);
        if (value.isPresent()) {
            g.writeString(value.get());
        } else {
            g.writeNull();
        }
    }

    /** Reads the three arrays of one line; the rows become domain values once the session's id is known. */
    static final class Reader {
        private final JsonParser p;
        private final ExportLineReader line;
        List<Function<SessionId, Approval>> approvals;
        List<Function<SessionId, InboxMessage>> inbox;
        List<Function<SessionId, Reply>> outbox;

        Reader(JsonParser p, ExportLineReader line) {
            this.p = p;
            this.line = line;
        }

        /** Whether any of the three was in the line (they are all required in version 3, refused before). */
        boolean any() {
            return approvals != null || inbox != null || outbox != null;
        }

        void requireAll() {
            ExportLineReader.require(approvals, "approvals");
            ExportLineReader.require(inbox, "inbox");
            ExportLineReader.require(outbox, "outbox");
        }

        void approvals(JsonToken value) throws IOException {
            approvals = new ArrayList<>();
            for (Map<String, Object> row : rows(value, "approvals", List.of("id", "seq", "key", "state", "requestedBy",
                    "requestedAt", "expiresAt", "decidedAt", "decidedBy", "note", "request"), List.of("seq"),
                    List.of("decidedAt", "decidedBy", "note"))) {
                ApprovalId id = parse("approvals.id", () -> ApprovalId.parse((String) row.get("id")));
                Approval.State state = state("approvals.state", Approval.State.class, row.get("state"));
                Actor by = parse("approvals.requestedBy", () -> new Actor((String) row.get("requestedBy")));
                Optional<Actor> decidedBy = Optional.ofNullable((String) row.get("decidedBy"))
                        .map(text -> parse("approvals.decidedBy", () -> new Actor(text)));
                Instant requestedAt = ExportLineReader.instant((String) row.get("requestedAt"));
                Instant expiresAt = ExportLineReader.instant((String) row.get("expiresAt"));
                Optional<Instant> decidedAt = Optional.ofNullable((String) row.get("decidedAt")).map(ExportLineReader::instant);
                long seq = seq("approvals.seq", row);
                approvals.add(session -> new Approval(id, session, seq, (String) row.get("key"), (String) row.get("request"),
                        state, by, requestedAt, expiresAt, decidedAt, decidedBy,
                        Optional.ofNullable((String) row.get("note"))));
            }
        }

        void inbox(JsonToken value) throws IOException {
            inbox = new ArrayList<>();
            for (Map<String, Object> row : rows(value, "inbox", List.of("seq", "key", "state", "receivedAt", "message"),
                    List.of("seq"), List.of())) {
                InboxMessage.State state = state("inbox.state", InboxMessage.State.class, row.get("state"));
                Instant at = ExportLineReader.instant((String) row.get("receivedAt"));
                long seq = seq("inbox.seq", row);
                inbox.add(session -> new InboxMessage(session, seq, (String) row.get("message"), (String) row.get("key"),
                        state, at));
            }
        }

        void outbox(JsonToken value) throws IOException {
            outbox = new ArrayList<>();
            for (Map<String, Object> row : rows(value, "outbox", List.of("key", "state", "attempts", "dueAt", "lastError",
                    "queuedAt", "reply"), List.of("attempts"), List.of("lastError"))) {
                Reply.State state = state("outbox.state", Reply.State.class, row.get("state"));
                long attempts = (Long) row.get("attempts");
                if (attempts > ImportChecks.MAX_REPLY_ATTEMPTS) {
                    throw new InvalidInputException("outbox.attempts", "must be at most "
                            + ImportChecks.MAX_REPLY_ATTEMPTS + ", was " + attempts);
                }
                Instant due = ExportLineReader.instant((String) row.get("dueAt"));
                Instant queued = ExportLineReader.instant((String) row.get("queuedAt"));
                // Its place in the line: the ids of the store that wrote it mean nothing in another.
                long order = outbox.size() + 1;
                outbox.add(session -> new Reply(order, session, (String) row.get("reply"), (String) row.get("key"), state,
                        (int) attempts, due, Optional.ofNullable((String) row.get("lastError")), queued));
            }
        }

        /**
         * An array of objects of exactly these fields (any order): {@code numbers} as whole numbers, the
         * others as strings, {@code nullable} ones also as null.
         */
        private List<Map<String, Object>> rows(JsonToken value, String array, List<String> fields, List<String> numbers,
                List<String> nullable) throws IOException {
            ExportLineReader.expect(value, JsonToken.START_ARRAY, "\"" + array + "\" as an array");
            List<Map<String, Object>> rows = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                Map<String, Object> row = new HashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    String name = array + "." + field;
                    if (!fields.contains(field)) {
                        throw new IllegalArgumentException("unknown field \"" + field + "\" in " + array);
                    }
                    if (numbers.contains(field)) {
                        row.put(field, line.number(v, name));
                    } else if (v == JsonToken.VALUE_NULL && nullable.contains(field)) {
                        row.put(field, null);
                    } else {
                        row.put(field, line.string(v, name));
                    }
                }
                for (String field : fields) {
                    if (!row.containsKey(field)) {
                        throw new IllegalArgumentException("no \"" + array + "." + field + "\"");
                    }
                    if (row.get(field) == null && !nullable.contains(field)) {
                        throw new IllegalArgumentException("no \"" + array + "." + field + "\"");
                    }
                }
                rows.add(row);
            }
            ExportLineReader.expect(p.currentToken(), JsonToken.END_ARRAY, "the end of \"" + array + "\"");
            return rows;
        }

        private static long seq(String field, Map<String, Object> row) {
            long seq = (Long) row.get("seq");
            if (seq < 1) {
                throw new InvalidInputException(field, "must be at least 1, was " + seq);
            }
            return seq;
        }

        private static <E extends Enum<E>> E state(String field, Class<E> type, Object text) {
            try {
                return Enum.valueOf(type, (String) text);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(field, "unknown state \"" + text + "\"");
            }
        }

        /** A value the domain refuses, refused naming the line's field. */
        private static <T> T parse(String field, java.util.function.Supplier<T> value) {
            try {
                return value.get();
            } catch (InvalidInputException e) {
                throw renamed(field, e);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(field, e.getMessage());
            }
        }
    }
}
