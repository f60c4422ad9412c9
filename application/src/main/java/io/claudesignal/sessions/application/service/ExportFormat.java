package io.claudesignal.sessions.application.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionArchive;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.ForkOrigin;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.TranscriptItem;
import io.claudesignal.sessions.domain.Transition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The export format {@value #FORMAT} (docs/export-format.md): one session per line, its fields always
 * in the same order and its instants always with six fraction digits, so that the same session is
 * always the same bytes. Contexts, activity details and transcript items are the exact text stored,
 * each embedded as a JSON string: stored text may hold line breaks (an item appended from a
 * pretty-printed file), which as raw JSON would split the line. Lines of {@value #FORMAT_1}, which
 * embedded them as raw JSON objects, and of {@value #FORMAT_2}, which carried no approvals, inbox or
 * outbox, are still read.
 */
final class ExportFormat {

    static final String FORMAT = "claude-signal-sessions/3";
    /** The first version: the fields of version 2, with context, details and item as raw JSON objects. */
    static final String FORMAT_1 = "claude-signal-sessions/1";
    /** The second: without the approvals, inbox and outbox, which version 3 added. */
    static final String FORMAT_2 = "claude-signal-sessions/2";

    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSX")
            .withZone(ZoneOffset.UTC);

    private final JsonFactory factory;

    ExportFormat(int maxValueBytes) {
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(Math.max(maxValueBytes, StreamReadConstraints.DEFAULT_MAX_STRING_LEN))
                        .maxNestingDepth(ContextJson.DEFAULT_MAX_DEPTH + 8)
                        .maxNumberLength(10_000)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .build();
    }

    /** Pages of a session's transcript items after a number, oldest first; an empty page ends it. */
    @FunctionalInterface
    interface ItemPages {
        List<TranscriptItem> after(long seq);
    }

    /**
     * Writes one line for {@code archive}, its items read page by page from {@code items}.
     *
     * @return how many items it wrote
     */
    long write(Writer out, SessionArchive archive, ItemPages items) throws IOException {
        Session s = archive.session();
        long written = 0;
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeStringField("id", s.id().toString());
            g.writeStringField("projectPath", s.projectPath());
            g.writeStringField("threadId", s.threadId());
            g.writeStringField("status", s.status().name());
            g.writeStringField("createdAt", text(s.createdAt()));
            g.writeStringField("updatedAt", text(s.updatedAt()));
            g.writeNumberField("version", s.version());
            g.writeBooleanField("pinned", s.pinned());
            g.writeFieldName("forkedFrom");
            if (s.forkedFrom().isPresent()) {
                ForkOrigin origin = s.forkedFrom().get();
                g.writeStartObject();
                g.writeStringField("id", origin.parentId().toString());
                g.writeNumberField("throughSeq", origin.seq());
                g.writeEndObject();
            } else {
                g.writeNull();
            }
            g.writeStringField("context", s.context());
            g.writeArrayFieldStart("history");
            for (Transition t : archive.history()) {
                g.writeStartObject();
                g.writeStringField("from", t.from().name());
                g.writeStringField("to", t.to().name());
                g.writeStringField("at", text(t.at()));
                g.writeStringField("reason", t.reason());
                g.writeStringField("actor", t.actor().value());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("activities");
            g.writeNumberField("lastSeq", archive.activityLastSeq());
            g.writeNumberField("acknowledgedSeq", archive.acknowledgedSeq());
            g.writeArrayFieldStart("entries");
            for (Activity a : archive.activities()) {
                g.writeStartObject();
                g.writeNumberField("seq", a.seq());
                g.writeStringField("type", a.type());
                g.writeStringField("at", text(a.at()));
                g.writeStringField("details", a.details());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeObjectFieldStart("transcript");
            g.writeNumberField("lastSeq", archive.transcriptLastSeq());
            g.writeArrayFieldStart("items");
            long after = 0;
            for (List<TranscriptItem> page = items.after(after); !page.isEmpty(); page = items.after(after)) {
                for (TranscriptItem item : page) {
                    g.writeStartObject();
                    g.writeNumberField("seq", item.seq());
                    g.writeFieldName("key");
                    if (item.key().isPresent()) {
                        g.writeString(item.key().get());
                    } else {
                        g.writeNull();
                    }
                    g.writeStringField("at", text(item.at()));
                    g.writeStringField("item", item.json());
                    g.writeEndObject();
                    after = item.seq();
                    written++;
                }
                // Flushed page by page: the line is never held whole in memory.
                g.flush();
            }
            g.writeEndArray();
            g.writeEndObject();
            // After the transcript: it streams, these were read with the session in its snapshot.
            InFlightLines.write(g, archive);
            g.writeEndObject();
        }
        out.write('\n');
        return written;
    }

    /** A line read back: the archive and its transcript items, raw values as they were in the line. */
    record Parsed(SessionArchive archive, List<TranscriptItem> items) {
    }

    /**
     * Reads one line.
     *
     * @throws IllegalArgumentException (and {@link IOException}) when it is not a line of this format;
     *                                  the message says what is wrong
     */
    Parsed read(String line) throws IOException {
        try (JsonParser p = factory.createParser(line)) {
            ExportLineReader r = new ExportLineReader(p, line);
            Parsed parsed = r.session();
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("text after the session's object");
            }
            return parsed;
        }
    }

    static String text(Instant at) {
        return INSTANT.format(at);
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
