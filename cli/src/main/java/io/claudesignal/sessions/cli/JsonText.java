package io.claudesignal.sessions.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionSummary;
import java.io.UncheckedIOException;

/** The JSON the CLI writes: sessions as objects with a fixed key order, contexts embedded as stored. */
final class JsonText {

    private static final ObjectMapper MAPPER = JsonMapper.builder(
                    JsonFactory.builder()
                            // As lenient as the store's own limits (ContextJson): what it stored, we can show.
                            .streamReadConstraints(StreamReadConstraints.builder()
                                    .maxNumberLength(100_000)
                                    .maxStringLength(Integer.MAX_VALUE)
                                    .maxNestingDepth(10_000)
                                    .build())
                            .build())
            // Numbers keep their exact value: no rounding through double.
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(
                    Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    private JsonText() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A session with exactly the fields of the output contract, in its order, its context as stored. */
    static ObjectNode session(Session s) {
        ObjectNode node = fields(s.summary(), stored(s.context()));
        // Only for a fork: the fields of a session that was not forked stay as they were.
        s.forkedFrom().ifPresent(origin -> {
            ObjectNode from = node.putObject("forkedFrom");
            from.put("id", origin.parentId().toString());
            from.put("seq", origin.seq());
        });
        return node;
    }

    /** A list entry: a session without its context. */
    static ObjectNode summary(SessionSummary s) {
        return fields(s, null);
    }

    private static ObjectNode fields(SessionSummary s, RawValue context) {
        ObjectNode node = object();
        node.put("id", s.id().toString());
        node.put("projectPath", s.projectPath());
        node.put("threadId", s.threadId());
        node.put("status", s.status().name());
        if (context != null) {
            node.putRawValue("context", context);
        }
        node.put("createdAt", s.createdAt().toString());
        node.put("updatedAt", s.updatedAt().toString());
        node.put("version", s.version());
        node.put("pinned", s.pinned());
        return node;
    }

    /**
     * Stored JSON (a context, activity details, a transcript item) to embed byte for byte: parsed and
     * written again it would lose its spacing, escapes and number spelling ({@code -0.0}, {@code 1.50e0}).
     * The store checked it is one JSON object when it was written.
     */
    static RawValue stored(String json) {
        return new RawValue(json);
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("stored context is not valid JSON", e);
        }
    }

    /** One line, no insignificant whitespace. */
    static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Indented by two spaces a level, {@code "key": value}. */
    static String pretty(JsonNode node) {
        if (node.isContainerNode() && node.isEmpty()) {
            return node.isObject() ? "{}" : "[]";
        }
        try {
            return MAPPER.writer(PRETTY).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
