package io.claudesignal.sessions.application.port.out;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Texts;
import java.util.Map;

/**
 * The JSON rules for session contexts: what a patch may be, how it is merged (RFC 7396), and how big
 * and deep a context may grow. Numbers keep their exact text (no rounding through double), and text
 * that would not survive a round trip through UTF-8 (a lone surrogate) is refused rather than mangled.
 */
public final class ContextJson {

    /** Default largest context, in UTF-8 bytes. */
    public static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
    /** Default deepest nesting of objects and arrays. */
    public static final int DEFAULT_MAX_DEPTH = 128;

    private final ObjectMapper mapper;
    private final int maxBytes;
    private final int maxDepth;

    public ContextJson() {
        this(DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH);
    }

    public ContextJson(int maxBytes, int maxDepth) {
        if (maxBytes < 2 || maxDepth < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 2 and maxDepth at least 1");
        }
        this.maxBytes = maxBytes;
        this.maxDepth = maxDepth;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxStringLength(Math.max(maxBytes, StreamReadConstraints.DEFAULT_MAX_STRING_LEN))
                        .maxNumberLength(10_000)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    public int maxBytes() {
        return maxBytes;
    }

    /**
     * Reads a merge patch. It must be one JSON object within the size and depth limits.
     *
     * @throws InvalidInputException otherwise
     */
    public ObjectNode parsePatch(String patch) {
        return parseObject("patch", patch);
    }


    /**
     * Reads a JSON object given by a caller outside a context (an activity's details), refusing it
     * like a patch when it is not one object or is larger than {@code maxBytes}, and returns its
     * compact text.
     */
    public String compactObject(String field, String text, int maxBytes) {
        if (text != null && (text.length() > maxBytes || utf8Length(text) > maxBytes)) {
            throw new InvalidInputException(field, "is larger than the limit of " + maxBytes + " bytes");
        }
        return write(parseObject(field, text));
    }

    /**
     * Checks that {@code text} is one JSON object of at most {@code maxBytes} UTF-8 bytes, refusing it
     * like a patch otherwise, without rewriting it: for values stored byte for byte (transcript items).
     */
    public void requireObject(String field, String text, int maxBytes) {
        if (text != null && (text.length() > maxBytes || utf8Length(text) > maxBytes)) {
            throw new InvalidInputException(field, "is larger than the limit of " + maxBytes + " bytes");
        }
        parseObject(field, text);
    }

    /**
     * The stored {@code context} with one top-level string field set, for stores that cannot do it in
     * their own query language. Never refused for size: a stamp must not fail a recovery.
     */
    public String withField(String context, String key, String value) {
        ObjectNode target = parseStored(context);
        target.put(key, value);
        return write(target);
    }

    /**
     * Applies {@code patch} to {@code context} (RFC 7396) and returns the merged context as compact
     * text, or {@code context} itself (the same instance) when the patch changes nothing.
     *
     * @throws InvalidInputException when the result would be over the size limit
     */
    public String merge(String context, ObjectNode patch) {
        // The stored context was checked when it was written: it is parsed, not checked again.
        ObjectNode target = parseStored(context);
        if (!mergeInto(target, patch)) {
            return context;
        }
        String merged = write(target);
        int bytes = utf8Length(merged);
        if (bytes > maxBytes) {
            throw new InvalidInputException("context", "would be " + bytes + " bytes after this patch, over the limit of "
                    + maxBytes);
        }
        return merged;
    }

    /** Merges in place; true when {@code target} changed, so a no-op is known without copying it first. */
    private static boolean mergeInto(ObjectNode target, ObjectNode patch) {
        boolean changed = false;
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            JsonNode existing = target.get(key);
            if (value.isNull()) {
                changed |= target.remove(key) != null;
            } else if (value.isObject()) {
                if (existing instanceof ObjectNode child) {
                    changed |= mergeInto(child, (ObjectNode) value);
                } else {
                    ObjectNode child = target.objectNode();
                    mergeInto(child, (ObjectNode) value);
                    target.set(key, child);
                    changed = true;
                }
            } else if (!value.equals(existing)) {
                target.set(key, value.deepCopy());
                changed = true;
            }
        }
        return changed;
    }

    private ObjectNode parseStored(String context) {
        try (JsonParser parser = mapper.createParser(context)) {
            if (mapper.readTree(parser) instanceof ObjectNode object) {
                return object;
            }
        } catch (java.io.IOException e) {
            throw new InvalidInputException("context", "the stored context is not valid JSON: " + e.getMessage());
        }
        throw new InvalidInputException("context", "the stored context is not a JSON object");
    }

    private ObjectNode parseObject(String field, String text) {
        if (text == null) {
            throw new InvalidInputException(field, "must be a JSON object, was null");
        }
        // A UTF-8 encoding has at least one byte per char, so the length alone refuses most oversized input.
        if (text.length() > maxBytes || utf8Length(text) > maxBytes) {
            throw new InvalidInputException(field, "is larger than the limit of " + maxBytes + " bytes");
        }
        JsonNode node;
        try (JsonParser parser = mapper.createParser(text)) {
            node = mapper.readTree(parser);
        } catch (StreamConstraintsException e) {
            throw new InvalidInputException(field, "exceeds a JSON limit (nesting deeper than " + maxDepth
                    + " levels, or a value too long)");
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(field, "is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new InvalidInputException(field, "could not be read: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw new InvalidInputException(field, "must be a JSON object, was "
                    + (node == null ? "empty" : node.getNodeType().name().toLowerCase()));
        }
        requireWellFormedText(field, object);
        return object;
    }

    private static void requireWellFormedText(String field, JsonNode node) {
        if (node.isTextual()) {
            if (!Texts.isWellFormed(node.textValue())) {
                throw new InvalidInputException(field, "holds a string that is not valid Unicode (lone surrogate)");
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                if (!Texts.isWellFormed(entry.getKey())) {
                    throw new InvalidInputException(field, "holds a key that is not valid Unicode (lone surrogate)");
                }
                requireWellFormedText(field, entry.getValue());
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                requireWellFormedText(field, element);
            }
        }
    }

    private String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree could not be written back", e);
        }
    }

    static int utf8Length(String text) {
        // Counting instead of encoding: a 16 MB context is not copied just to learn its size.
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
