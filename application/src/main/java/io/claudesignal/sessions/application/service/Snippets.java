package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.application.port.in.TranscriptMatch.Mark;
import io.claudesignal.sessions.application.port.in.TranscriptMatch.Snippet;
import io.claudesignal.sessions.application.port.out.SearchText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** How a search's snippet is cut and marked, the same whatever store found the item. */
final class Snippets {

    /** Characters of text kept before the first match, so that the snippet shows what led to it. */
    private static final int LEAD = 50;
    private static final String CUT = "…";

    private Snippets() {
    }

    /**
     * A one-line extract of {@code text} of about {@link Snippet#MAX_CHARS} characters, from a little
     * before the first of {@code words} it holds (from the start when it holds none), every occurrence
     * of them in it marked.
     */
    static Snippet snippet(String text, Collection<String> words) {
        String line = oneLine(text);
        Set<String> wanted = Set.copyOf(words);
        List<Mark> all = new ArrayList<>();
        SearchText.forEachWord(line, (start, end) -> {
            if (wanted.contains(line.substring(start, end).toLowerCase(Locale.ROOT))) {
                all.add(new Mark(start, end));
            }
        });
        int from = all.isEmpty() ? 0 : wordStart(line, Math.max(0, all.get(0).start() - LEAD));
        while (from < line.length() && line.charAt(from) == ' ') { // marks count from here: no leading space
            from++;
        }
        int to = Math.min(line.length(), from + Snippet.MAX_CHARS);
        if (to < line.length()) {
            int space = line.lastIndexOf(' ', to);
            int keep = Math.max(from + Snippet.MAX_CHARS / 2, all.isEmpty() ? 0 : all.get(0).end()); // the first match stays
            to = space >= keep ? space : unsplit(line, to);
        }
        String prefix = from > 0 ? CUT : "";
        int shift = prefix.length() - from;
        List<Mark> marks = new ArrayList<>();
        for (Mark mark : all) {
            if (mark.start() >= from && mark.end() <= to) {
                marks.add(new Mark(mark.start() + shift, mark.end() + shift));
            }
        }
        return new Snippet(prefix + line.substring(from, to).stripTrailing() + (to < line.length() ? CUT : ""), marks);
    }

    /** Whitespace and control characters as single spaces, so that a snippet is one line and cannot steer a terminal. */
    private static String oneLine(String text) {
        StringBuilder line = new StringBuilder(Math.min(text.length(), 1 << 16));
        boolean space = true; // no space at the start
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            boolean blank = Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)
                    || type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
            if (!blank) {
                line.append(c);
                space = false;
            } else if (!space) {
                line.append(' ');
                space = true;
            }
        }
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == ' ' ? line.substring(0, end - 1) : line.toString();
    }

    /** {@code at}, or the end of the word it falls inside (a snippet starts on a word boundary). */
    private static int wordStart(String line, int at) {
        int i = at;
        while (i > 0 && i < line.length() && SearchText.isWordChar(line.codePointBefore(i))
                && SearchText.isWordChar(line.codePointAt(i))) {
            i += Character.charCount(line.codePointAt(i));
        }
        return i;
    }

    private static int unsplit(String line, int at) {
        return at > 0 && at < line.length() && Character.isLowSurrogate(line.charAt(at)) ? at - 1 : at;
    }

}
