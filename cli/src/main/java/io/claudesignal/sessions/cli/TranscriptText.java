package io.claudesignal.sessions.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.TranscriptCompaction;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * How the transcript commands print: one compact JSON document with {@code --json}, else one line per
 * item (number, time, role or type when the item has one, a shortened text).
 */
final class TranscriptText {

    /** Characters of an item's text a line shows. */
    static final int SHOWN_CHARS = 100;

    private final PrintStream out;
    /** Null for JSON. */
    private final Style style;

    TranscriptText(PrintStream out, Style style) {
        this.out = out;
        this.style = style;
    }

    void page(SessionId id, List<TranscriptItem> items, Optional<Long> next) {
        if (style == null) {
            ObjectNode root = JsonText.object();
            ArrayNode list = root.putArray("items");
            items.forEach(item -> list.add(json(item)));
            if (next.isPresent()) {
                root.put("next", next.get());
            } else {
                root.putNull("next");
            }
            print(root);
            return;
        }
        if (items.isEmpty()) {
            out.print("no items\n");
        }
        items.forEach(item -> out.print(line(item) + "\n"));
        next.ifPresent(seq -> out.print(style.dim("more: sessions transcript show " + id + " --after " + seq) + "\n"));
        out.flush();
    }

    void item(TranscriptItem item) {
        if (style == null) {
            print(json(item));
        } else {
            out.print(line(item) + "\n");
            out.flush();
        }
    }

    void popped(SessionId id, Optional<TranscriptItem> popped) {
        if (style == null) {
            ObjectNode root = JsonText.object();
            root.put("id", id.toString());
            if (popped.isPresent()) {
                root.set("popped", json(popped.get()));
            } else {
                root.putNull("popped");
            }
            print(root);
        } else {
            out.print(popped.map(item -> "removed " + line(item)).orElse("session " + id + " has no items") + "\n");
            out.flush();
        }
    }

    void cleared(SessionId id, long removed) {
        if (style == null) {
            ObjectNode root = JsonText.object();
            root.put("id", id.toString());
            root.put("cleared", removed);
            print(root);
        } else {
            out.print("removed " + removed + (removed == 1 ? " item" : " items") + " from session " + id + "\n");
            out.flush();
        }
    }

    /** {@code {"appended": n, "skipped": m, "first": seq, "last": seq}}, or a sentence. */
    void appended(SessionId id, TranscriptBatches.Counts counts, String verb) {
        if (style == null) {
            ObjectNode root = JsonText.object();
            root.put("appended", counts.appended());
            root.put("skipped", counts.skipped());
            putSeq(root, "first", counts.first());
            putSeq(root, "last", counts.last());
            print(root);
            return;
        }
        String range = counts.first().map(f -> f.equals(counts.last().orElse(f)) ? " (#" + f + ")"
                : " (#" + f + " to #" + counts.last().orElseThrow() + ")").orElse("");
        out.print(verb + " " + counts.appended() + (counts.appended() == 1 ? " item" : " items") + range
                + " to session " + id + (counts.skipped() > 0 ? ", skipped " + counts.skipped()
                + " already there" : "") + "\n");
        out.flush();
    }

    /** {@code {"id", "through", "removed", "summary": ITEM}}, or a sentence. */
    void compacted(SessionId id, TranscriptCompaction done) {
        if (style == null) {
            ObjectNode root = JsonText.object();
            root.put("id", id.toString());
            root.put("through", done.summary().seq());
            root.put("removed", done.removed());
            root.set("summary", json(done.summary()));
            print(root);
            return;
        }
        out.print("replaced " + done.removed() + (done.removed() == 1 ? " item" : " items") + " by the summary "
                + line(done.summary()) + "\n");
        out.flush();
    }

    private static void putSeq(ObjectNode node, String field, Optional<Long> seq) {
        if (seq.isPresent()) {
            node.put(field, seq.get());
        } else {
            node.putNull(field);
        }
    }

    static ObjectNode json(TranscriptItem item) {
        ObjectNode node = JsonText.object();
        node.put("seq", item.seq());
        node.put("at", item.at().toString());
        if (item.key().isPresent()) {
            node.put("key", item.key().get());
        } else {
            node.putNull("key");
        }
        node.putRawValue("item", JsonText.stored(item.json()));
        return node;
    }

    /** {@code #3  2026-11-30T04:00:00Z  user  Fix the failing test in...} */
    String line(TranscriptItem item) {
        JsonNode node = JsonText.parse(item.json());
        String kind = textOf(node.get("role"));
        if (kind == null) {
            kind = textOf(node.get("type"));
        }
        String text = summary(node);
        StringBuilder line = new StringBuilder("#").append(item.seq()).append("  ")
                .append(item.at().truncatedTo(ChronoUnit.SECONDS));
        if (kind != null) {
            line.append("  ").append(style.bold(shorten(kind, 24)));
        }
        if (!text.isEmpty()) {
            line.append("  ").append(shorten(text, SHOWN_CHARS));
        }
        return line.toString();
    }

    /** The item's words: its content when that is text, the first text part of a list, else its JSON. */
    private static String summary(JsonNode node) {
        JsonNode content = node.get("content");
        String text = textOf(content);
        if (text == null && content != null && content.isArray()) {
            for (JsonNode part : content) {
                text = part.isTextual() ? part.textValue() : textOf(part.get("text"));
                if (text != null) {
                    break;
                }
            }
        }
        if (text == null) {
            text = textOf(node.get("text"));
        }
        if (text == null) {
            ObjectNode rest = ((ObjectNode) node).deepCopy();
            rest.remove("role");
            rest.remove("type");
            text = rest.isEmpty() ? "" : JsonText.compact(rest);
        }
        return text;
    }

    private static String textOf(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    /** One line, control characters made visible as spaces, cut at {@code max} with an ellipsis. */
    static String shorten(String text, int max) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), max + 1));
        for (int i = 0; i < text.length() && b.length() <= max; i++) {
            char c = text.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (b.length() > max) {
            b.setLength(max - 1);
            // Never cut a surrogate pair in two.
            if (b.length() > 0 && Character.isHighSurrogate(b.charAt(b.length() - 1))) {
                b.setLength(b.length() - 1);
            }
            b.append('…');
        }
        return b.toString();
    }

    private void print(JsonNode node) {
        out.print(JsonText.compact(node) + "\n");
        out.flush();
    }
}
