package io.claudesignal.sessions.application.port.out;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules of transcript search that hold on every store, kept once: what a word is, what text of an
 * item is searched, and how a snippet is cut and marked. A word is a run of letters and digits (Unicode
 * letters, numbers and private-use characters, as SQLite's {@code unicode61} tokenizer has it), compared
 * in lower case; every other character separates words. The text of an item is its string values, in
 * order, one space between them: never its keys, numbers, booleans or nulls. A store's index may
 * tokenize its own way (docs/transcript.md says where they differ); the snippet is made above the stores, from the same words.
 */
public final class SearchText {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE).maxNestingDepth(10_000).maxNumberLength(Integer.MAX_VALUE).build())
            .build();

    private SearchText() {
    }

    /** The distinct words of {@code text}, lower case, in the order they first appear. */
    public static List<String> words(String text) {
        Set<String> words = new LinkedHashSet<>();
        forEachWord(text, (start, end) -> words.add(text.substring(start, end).toLowerCase(Locale.ROOT)));
        return List.copyOf(words);
    }

    /** True when every one of {@code words} (lower case) is a word of {@code text}. */
    public static boolean holdsAll(String text, Collection<String> words) {
        Set<String> wanted = new LinkedHashSet<>(words);
        forEachWord(text, (start, end) -> wanted.remove(text.substring(start, end).toLowerCase(Locale.ROOT)));
        return wanted.isEmpty();
    }

    /** The searched text of an item (one JSON object, already checked): its string values, in order. */
    public static String of(String itemJson) {
        StringBuilder text = new StringBuilder();
        try (JsonParser parser = JSON.createParser(itemJson)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.VALUE_STRING) {
                    if (!text.isEmpty()) {
                        text.append(' ');
                    }
                    text.append(parser.getText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading a stored item", e);
        }
        return text.toString();
    }

    /** Told each word of a text, by its {@code char} range. */
    public interface WordVisitor {
        void word(int start, int end);
    }

    /** Tells {@code visitor} each word of {@code text}, in order. */
    public static void forEachWord(String text, WordVisitor visitor) {
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (isWordChar(cp)) {
                if (start < 0) {
                    start = i;
                }
            } else if (start >= 0) {
                visitor.word(start, i);
                start = -1;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            visitor.word(start, text.length());
        }
    }

    public static boolean isWordChar(int cp) {
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.PRIVATE_USE -> true;
            default -> false;
        };
    }
}
