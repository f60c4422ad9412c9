package io.claudesignal.sessions.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.SessionId;
import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * How {@code sessions inbox} and {@code sessions outbox} print: one compact JSON document with
 * {@code --json} (whole ids, the message or reply as stored), else one line per message or reply.
 */
final class MessagesText {

    private final PrintStream out;
    /** Null for JSON. */
    private final Style style;

    MessagesText(PrintStream out, Style style) {
        this.out = out;
        this.style = style;
    }

    void inbox(SessionId id, List<InboxMessage> messages) {
        if (style == null) {
            ObjectNode root = JsonText.object();
            root.put("id", id.toString());
            ArrayNode list = root.putArray("messages");
            for (InboxMessage m : messages) {
                ObjectNode node = list.addObject();
                node.put("seq", m.seq());
                node.put("state", m.state().name());
                node.put("key", m.key());
                node.put("receivedAt", m.receivedAt().toString());
                node.putRawValue("message", JsonText.stored(m.json()));
            }
            print(root);
            return;
        }
        if (messages.isEmpty()) {
            out.print("no messages waiting for session " + HumanOutput.shortId(id) + "\n");
        }
        for (InboxMessage m : messages) {
            out.print("#" + m.seq() + "  " + m.receivedAt().truncatedTo(ChronoUnit.SECONDS) + "  "
                    + style.bold(String.format("%-7s", m.state().name())) + "  " + text(m.json()) + "\n");
        }
        out.flush();
    }

    void replies(List<Reply> replies) {
        if (style == null) {
            ObjectNode root = JsonText.object();
            ArrayNode list = root.putArray("replies");
            replies.forEach(r -> list.add(json(r)));
            print(root);
            return;
        }
        if (replies.isEmpty()) {
            out.print("no replies\n");
        }
        replies.forEach(r -> out.print(line(r) + "\n"));
        out.flush();
    }

    void reply(Reply reply) {
        if (style == null) {
            print(json(reply));
        } else {
            out.print(line(reply) + "\n");
            out.flush();
        }
    }

    /** {@code 12  4c59adf8  DEAD (8 attempts: timeout)  2026-11-30T04:00:00Z  Done: the tests pass.} */
    private String line(Reply r) {
        String state = r.state().name();
        if (r.attempts() > 0) {
            state += " (" + r.attempts() + (r.attempts() == 1 ? " attempt" : " attempts")
                    + r.lastError().map(e -> ": " + TranscriptText.shorten(e, 40)).orElse("") + ")";
        }
        String painted = r.state() == Reply.State.DEAD ? style.red(state) : style.bold(state);
        return r.id() + "  " + HumanOutput.shortId(r.sessionId()) + "  " + painted + "  "
                + r.queuedAt().truncatedTo(ChronoUnit.SECONDS) + "  " + text(r.json());
    }

    private static ObjectNode json(Reply r) {
        ObjectNode node = JsonText.object();
        node.put("id", r.id());
        node.put("session", r.sessionId().toString());
        node.put("state", r.state().name());
        node.put("key", r.key());
        node.put("attempts", r.attempts());
        node.put("dueAt", r.dueAt().toString());
        node.put("queuedAt", r.queuedAt().toString());
        if (r.lastError().isPresent()) {
            node.put("lastError", r.lastError().get());
        } else {
            node.putNull("lastError");
        }
        node.putRawValue("reply", JsonText.stored(r.json()));
        return node;
    }

    /** The message's words: its "text" or "content" when that is text, else its JSON; shortened. */
    private static String text(String json) {
        JsonNode node = JsonText.parse(json);
        for (String field : List.of("text", "content", "message")) {
            JsonNode value = node.get(field);
            if (value != null && value.isTextual()) {
                return TranscriptText.shorten(value.textValue(), HumanOutput.SHOWN_CHARS);
            }
        }
        return TranscriptText.shorten(JsonText.compact(node), HumanOutput.SHOWN_CHARS);
    }

    private void print(JsonNode node) {
        out.print(JsonText.compact(node) + "\n");
        out.flush();
    }
}
