package io.claudesignal.sessions.application.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.claudesignal.sessions.application.port.out.SessionArchive;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.ForkOrigin;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.TranscriptItem;
import io.claudesignal.sessions.domain.Transition;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A strict reader of one line of {@link ExportFormat}: every field required, in any order, unknown
 * fields refused. Reads the three versions (version 3's approvals, inbox and outbox through
 * {@link InFlightLines.Reader}; versions 1 and 2 have none of them): the stored JSON values (context, details, items) are strings in
 * the current one and raw objects in version 1; since {@code format} may come last, the shape is
 * checked against it once the whole line is read.
 */
final class ExportLineReader {
    private final JsonParser p;
    private final String line;
    /** The first stored JSON value seen as a raw object (version 1) and as a string (version 2). */
    private String rawObjectField;
    private String stringField;

    ExportLineReader(JsonParser p, String line) {
        this.p = p;
        this.line = line;
    }

    ExportFormat.Parsed session() throws IOException {
        expect(p.nextToken(), JsonToken.START_OBJECT, "a session object");
        String format = null;
        String id = null;
        String project = null;
        String thread = null;
        String status = null;
        String created = null;
        String updated = null;
        Long version = null;
        Boolean pinned = null;
        Optional<ForkOrigin> forkedFrom = null;
        String context = null;
        List<String[]> historyRows = null;
        long[] activityCounters = null;
        List<String[]> activityRows = null;
        Long transcriptLast = null;
        List<Object[]> itemRows = null;
        InFlightLines.Reader inFlight = new InFlightLines.Reader(p, this);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "format" -> format = string(value, name);
                case "id" -> id = string(value, name);
                case "projectPath" -> project = string(value, name);
                case "threadId" -> thread = string(value, name);
                case "status" -> status = string(value, name);
                case "createdAt" -> created = string(value, name);
                case "updatedAt" -> updated = string(value, name);
                case "version" -> version = number(value, name);
                case "pinned" -> pinned = bool(value, name);
                case "forkedFrom" -> forkedFrom = forkOrigin(value);
                case "context" -> context = raw(value, name);
                case "history" -> historyRows = historyRows(value);
                case "activities" -> {
                    activityCounters = new long[2];
                    activityRows = activities(value, activityCounters);
                }
                case "transcript" -> {
                    List<Object[]> rows = new ArrayList<>();
                    transcriptLast = transcript(value, rows);
                    itemRows = rows;
                }
                case "approvals" -> inFlight.approvals(value);
                case "inbox" -> inFlight.inbox(value);
                case "outbox" -> inFlight.outbox(value);
                default -> throw new IllegalArgumentException("unknown field \"" + name + "\"");
            }
        }
        if (!ExportFormat.FORMAT.equals(format) && !ExportFormat.FORMAT_2.equals(format)
                && !ExportFormat.FORMAT_1.equals(format)) {
            throw new IllegalArgumentException(format == null ? "no \"format\" field"
                    : "format \"" + format + "\" is none of " + ExportFormat.FORMAT + ", " + ExportFormat.FORMAT_2
                    + " and " + ExportFormat.FORMAT_1);
        }
        // Version 3 has all three, the earlier ones none: what they name did not exist when they were written.
        if (ExportFormat.FORMAT.equals(format)) {
            inFlight.requireAll();
        } else if (inFlight.any()) {
            throw new IllegalArgumentException("\"approvals\", \"inbox\" and \"outbox\" are fields of "
                    + ExportFormat.FORMAT + ", not of " + format);
        }
        boolean first = ExportFormat.FORMAT_1.equals(format);
        if (first && stringField != null) {
            throw new IllegalArgumentException("\"" + stringField + "\": a JSON object in " + ExportFormat.FORMAT_1);
        }
        if (!first && rawObjectField != null) {
            throw new IllegalArgumentException("\"" + rawObjectField + "\": the stored text as a JSON string in "
                    + ExportFormat.FORMAT);
        }
        require(id, "id");
        SessionId sessionId = SessionId.parse(id);
        require(project, "projectPath");
        require(thread, "threadId");
        require(status, "status");
        require(created, "createdAt");
        require(updated, "updatedAt");
        require(version, "version");
        require(pinned, "pinned");
        require(forkedFrom, "forkedFrom");
        require(context, "context");
        require(historyRows, "history");
        require(activityRows, "activities");
        require(itemRows, "transcript");
        if (version < 1) {
            throw new InvalidInputException("version", "must be at least 1, was " + version);
        }
        Instant createdAt = instant(created);
        Instant updatedAt = instant(updated);
        if (updatedAt.isBefore(createdAt)) {
            throw new InvalidInputException("updatedAt", updated + " is before createdAt " + created);
        }
        Session session = new Session(sessionId, project, thread, status(status), context, createdAt, updatedAt,
                version, forkedFrom, pinned);
        List<Transition> history = new ArrayList<>();
        for (String[] h : historyRows) {
            history.add(new Transition(sessionId, status(h[0]), status(h[1]), instant(h[2]), h[3], new Actor(h[4])));
        }
        List<Activity> activities = new ArrayList<>();
        for (String[] a : activityRows) {
            activities.add(new Activity(sessionId, Long.parseLong(a[0]), a[1], a[3], instant(a[2])));
        }
        List<TranscriptItem> items = new ArrayList<>();
        for (Object[] i : itemRows) {
            items.add(new TranscriptItem(sessionId, (Long) i[0], (String) i[3], Optional.ofNullable((String) i[1]),
                    instant((String) i[2])));
        }
        List<Approval> approvals = new ArrayList<>();
        List<InboxMessage> inbox = new ArrayList<>();
        List<Reply> outbox = new ArrayList<>();
        if (inFlight.any()) {
            inFlight.approvals.forEach(row -> approvals.add(row.apply(sessionId)));
            inFlight.inbox.forEach(row -> inbox.add(row.apply(sessionId)));
            inFlight.outbox.forEach(row -> outbox.add(row.apply(sessionId)));
        }
        return new ExportFormat.Parsed(new SessionArchive(session, history, activityCounters[0], activityCounters[1],
                activities, transcriptLast, approvals, inbox, outbox), items);
    }

    private List<String[]> historyRows(JsonToken value) throws IOException {
        expect(value, JsonToken.START_ARRAY, "\"history\" as an array");
        List<String[]> rows = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String[] row = new String[5];
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int at = switch (name) {
                    case "from" -> 0;
                    case "to" -> 1;
                    case "at" -> 2;
                    case "reason" -> 3;
                    case "actor" -> 4;
                    default -> throw new IllegalArgumentException("unknown field \"" + name + "\" in history");
                };
                row[at] = string(v, "history." + name);
            }
            for (int i = 0; i < row.length; i++) {
                require(row[i], "history." + List.of("from", "to", "at", "reason", "actor").get(i));
            }
            rows.add(row);
        }
        expect(p.currentToken(), JsonToken.END_ARRAY, "the end of \"history\"");
        return rows;
    }

    private List<String[]> activities(JsonToken value, long[] counters) throws IOException {
        expect(value, JsonToken.START_OBJECT, "\"activities\" as an object");
        Long last = null;
        Long acknowledged = null;
        List<String[]> rows = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "lastSeq" -> last = number(v, "activities.lastSeq");
                case "acknowledgedSeq" -> acknowledged = number(v, "activities.acknowledgedSeq");
                case "entries" -> {
                    expect(v, JsonToken.START_ARRAY, "\"activities.entries\" as an array");
                    rows = new ArrayList<>();
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        String[] row = new String[4];
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String field = p.currentName();
                            JsonToken fv = p.nextToken();
                            switch (field) {
                                case "seq" -> row[0] = String.valueOf(number(fv, "activities.entries.seq"));
                                case "type" -> row[1] = string(fv, "activities.entries.type");
                                case "at" -> row[2] = string(fv, "activities.entries.at");
                                case "details" -> row[3] = raw(fv, "activities.entries.details");
                                default -> throw new IllegalArgumentException(
                                        "unknown field \"" + field + "\" in activities.entries");
                            }
                        }
                        for (int i = 0; i < row.length; i++) {
                            require(row[i], "activities.entries." + List.of("seq", "type", "at", "details").get(i));
                        }
                        rows.add(row);
                    }
                }
                default -> throw new IllegalArgumentException("unknown field \"" + name + "\" in activities");
            }
        }
        require(last, "activities.lastSeq");
        require(acknowledged, "activities.acknowledgedSeq");
        require(rows, "activities.entries");
        counters[0] = last;
        counters[1] = acknowledged;
        return rows;
    }

    private long transcript(JsonToken value, List<Object[]> rows) throws IOException {
        expect(value, JsonToken.START_OBJECT, "\"transcript\" as an object");
        Long last = null;
        boolean sawItems = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "lastSeq" -> last = number(v, "transcript.lastSeq");
                case "items" -> {
                    sawItems = true;
                    expect(v, JsonToken.START_ARRAY, "\"transcript.items\" as an array");
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        Object[] row = new Object[4];
                        boolean sawKey = false;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String field = p.currentName();
                            JsonToken fv = p.nextToken();
                            switch (field) {
                                case "seq" -> row[0] = number(fv, "transcript.items.seq");
                                case "key" -> {
                                    sawKey = true;
                                    row[1] = fv == JsonToken.VALUE_NULL ? null : string(fv, "transcript.items.key");
                                }
                                case "at" -> row[2] = string(fv, "transcript.items.at");
                                case "item" -> row[3] = raw(fv, "transcript.items.item");
                                default -> throw new IllegalArgumentException(
                                        "unknown field \"" + field + "\" in transcript.items");
                            }
                        }
                        require(row[0], "transcript.items.seq");
                        require(sawKey ? "" : null, "transcript.items.key");
                        require(row[2], "transcript.items.at");
                        require(row[3], "transcript.items.item");
                        rows.add(row);
                    }
                }
                default -> throw new IllegalArgumentException("unknown field \"" + name + "\" in transcript");
            }
        }
        require(last, "transcript.lastSeq");
        if (!sawItems) {
            throw new IllegalArgumentException("no \"transcript.items\"");
        }
        return last;
    }

    private Optional<ForkOrigin> forkOrigin(JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return Optional.empty();
        }
        expect(value, JsonToken.START_OBJECT, "\"forkedFrom\" as an object or null");
        String parent = null;
        Long seq = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "id" -> parent = string(v, "forkedFrom.id");
                case "throughSeq" -> seq = number(v, "forkedFrom.throughSeq");
                default -> throw new IllegalArgumentException("unknown field \"" + name + "\" in forkedFrom");
            }
        }
        require(parent, "forkedFrom.id");
        require(seq, "forkedFrom.throughSeq");
        try {
            return Optional.of(new ForkOrigin(SessionId.parse(parent), seq));
        } catch (InvalidInputException e) {
            throw new InvalidInputException("forkedFrom.id", e.getMessage());
        }
    }

    /**
     * A stored JSON value's exact text: the string's value (current version), or the exact text of the
     * object that starts at the current token (version 1).
     */
    String raw(JsonToken value, String name) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            if (stringField == null) {
                stringField = name;
            }
            return p.getText();
        }
        expect(value, JsonToken.START_OBJECT, "\"" + name + "\" as a string (or, in " + ExportFormat.FORMAT_1
                + ", a JSON object)");
        if (rawObjectField == null) {
            rawObjectField = name;
        }
        long start = p.currentTokenLocation().getCharOffset();
        p.skipChildren();
        long end = p.currentLocation().getCharOffset();
        return line.substring((int) start, (int) end);
    }

    String string(JsonToken value, String name) throws IOException {
        expect(value, JsonToken.VALUE_STRING, "\"" + name + "\" as a string");
        return p.getText();
    }

    /** A whole number from 0 to {@link ImportChecks#MAX_NUMBER}: what the API hands out. */
    long number(JsonToken value, String name) throws IOException {
        expect(value, JsonToken.VALUE_NUMBER_INT, "\"" + name + "\" as an integer");
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0
                || p.getLongValue() > ImportChecks.MAX_NUMBER) {
            throw new InvalidInputException(name, "must be from 0 to " + ImportChecks.MAX_NUMBER + ", was " + p.getText());
        }
        return p.getLongValue();
    }

    private boolean bool(JsonToken value, String name) {
        if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
            throw new IllegalArgumentException("expected \"" + name + "\" as true or false");
        }
        return value == JsonToken.VALUE_TRUE;
    }

    static void expect(JsonToken actual, JsonToken wanted, String what) {
        if (actual != wanted) {
            throw new IllegalArgumentException("expected " + what + (actual == null ? ", found the end" : ""));
        }
    }

    static void require(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("no \"" + name + "\"");
        }
    }

    private static SessionStatus status(String text) {
        try {
            return SessionStatus.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown status \"" + text + "\"");
        }
    }

    static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an ISO-8601 instant: \"" + text + "\"");
        }
    }
}
