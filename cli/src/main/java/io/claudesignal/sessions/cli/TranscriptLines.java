package io.claudesignal.sessions.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.NewTranscriptItem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Transcript items one a line (JSON Lines), as {@code transcript append --jsonl} and
 * {@code transcript import} read them: each line's text is the item, byte for byte, without its line
 * end; blank lines are skipped; the key, when asked for, is a top-level string field of the item.
 * Errors name the line.
 */
final class TranscriptLines implements AutoCloseable {

    /** One item and the number of the line it was on, from 1. */
    record Line(long number, NewTranscriptItem item) {
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern ITEM_FIELD = Pattern.compile("items\\[(\\d+)\\](?:: (?:item: )?)?(.*)", Pattern.DOTALL);

    private final BufferedReader in;
    private final Optional<String> keyField;
    private long lineNumber;
    private long chars;

    private TranscriptLines(BufferedReader in, Optional<String> keyField) {
        this.in = in;
        this.keyField = keyField;
    }

    /** The lines of {@code argument}: {@code @FILE}, {@code -} or {@code @-} (standard input), else the text itself. */
    static TranscriptLines open(String argument, InputStream stdin, Optional<String> keyField) {
        if (argument.equals("-") || argument.equals("@-")) {
            return new TranscriptLines(reader(stdin), keyField);
        }
        if (!argument.startsWith("@")) {
            return new TranscriptLines(new BufferedReader(new StringReader(argument)), keyField);
        }
        return file(ExportCommand.path(argument.substring(1)), keyField);
    }

    /** The lines of a file. */
    static TranscriptLines file(Path file, Optional<String> keyField) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("FILE", file + " is not a readable file");
        }
        try {
            return new TranscriptLines(reader(Files.newInputStream(file)), keyField);
        } catch (IOException e) {
            throw new InvalidInputException("FILE", "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static BufferedReader reader(InputStream in) {
        // Malformed UTF-8 is a refused line, not a silently replaced character.
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        return new BufferedReader(new InputStreamReader(in, decoder), 1 << 16);
    }

    /**
     * The next at most {@code max} items; empty at the end.
     *
     * @param maxChars refused past this many characters read in all (a bound on memory, not on the store)
     */
    List<Line> next(int max, long maxChars) {
        List<Line> lines = new ArrayList<>(Math.min(max, 1024));
        try {
            while (lines.size() < max) {
                String text = in.readLine();
                if (text == null) {
                    break;
                }
                lineNumber++;
                chars += text.length() + 1;
                if (chars > maxChars) {
                    throw new InvalidInputException("line " + lineNumber, "the items are larger than " + maxChars
                            + " characters in all; split them");
                }
                if (!text.isBlank()) {
                    Optional<String> key = keyField.isEmpty() ? Optional.empty()
                            : keyOf(text, keyField.get(), "line " + lineNumber);
                    lines.add(new Line(lineNumber, new NewTranscriptItem(text, key)));
                }
            }
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("line " + (lineNumber + 1), "not valid UTF-8");
        } catch (IOException e) {
            throw new InvalidInputException("line " + (lineNumber + 1), "cannot be read: " + e.getMessage());
        }
        return lines;
    }

    /** The key of one item: its top-level string field {@code keyField}, when present. */
    static Optional<String> keyOf(String item, String keyField, String where) {
        // A streaming scan of the top level only: nested values are skipped, not built.
        try (JsonParser p = JSON.createParser(item)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException(where, "not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals(keyField)) {
                    if (value != JsonToken.VALUE_STRING) {
                        throw new InvalidInputException(where, "its \"" + name + "\" is not a string");
                    }
                    return Optional.of(p.getText());
                }
                p.skipChildren();
            }
            return Optional.empty();
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(where, "not a JSON object: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidInputException(where, "cannot be read: " + e.getMessage());
        }
    }

    /**
     * A refusal of the batch {@code lines} by the store, about the item at some index, as one about its
     * line; any other refusal as it is.
     */
    static InvalidInputException atLine(InvalidInputException refused, List<Line> lines, String after) {
        Matcher m = ITEM_FIELD.matcher(refused.getMessage());
        if (!m.matches() || !refused.field().startsWith("items[")) {
            return refused;
        }
        int index = Integer.parseInt(m.group(1));
        return new InvalidInputException("line " + lines.get(index).number(), m.group(2) + after);
    }

    /** A refusal that names a line, with {@code note} (what became of the lines before it) added. */
    static InvalidInputException withNote(InvalidInputException refused, String note) {
        String prefix = refused.field() + ": ";
        if (!refused.field().startsWith("line ") || !refused.getMessage().startsWith(prefix)) {
            return refused;
        }
        return new InvalidInputException(refused.field(), refused.getMessage().substring(prefix.length()) + note);
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // Read to the end or refused already; nothing was written through it.
        }
    }
}
