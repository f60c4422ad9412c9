package io.claudesignal.sessions.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claudesignal.sessions.domain.Approval;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How the approval commands print: one compact JSON document with {@code --json}, else a table (short
 * id, session, age, state, what is asked) or one line per decision.
 */
final class ApprovalText {

    private final PrintStream out;
    /** Null for JSON. */
    private final Style style;

    ApprovalText(PrintStream out, Style style) {
        this.out = out;
        this.style = style;
    }

    void list(List<Approval> approvals, boolean everyState) {
        if (style == null) {
            ObjectNode root = JsonText.object();
            ArrayNode list = root.putArray("approvals");
            approvals.forEach(a -> list.add(json(a)));
            print(root);
            return;
        }
        if (approvals.isEmpty()) {
            out.print((everyState ? "no approvals" : "no pending approvals") + "\n");
            out.flush();
            return;
        }
        Instant now = Instant.now();
        List<String[]> rows = new ArrayList<>();
        for (Approval a : approvals) {
            rows.add(new String[] {shortId(a), a.sessionId().toString().substring(0, HumanOutput.SHORT_ID_LENGTH),
                age(Duration.between(a.requestedAt(), now)), a.state().name(), asked(a)});
        }
        String[] header = {"ID", "SESSION", "AGE", "STATE", "ASKED"};
        int[] widths = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            widths[c] = header[c].length();
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        out.print(style.bold(row(header, widths)) + "\n");
        for (String[] row : rows) {
            out.print(row(row, widths) + "\n");
        }
        out.flush();
    }

    void decided(Approval a) {
        if (style == null) {
            print(json(a));
            return;
        }
        String state = a.state() == Approval.State.APPROVED ? style.green(a.state().name()) : style.red(a.state().name());
        out.print("approval " + a.id() + " (session " + a.sessionId() + ", #" + a.seq() + ") is " + state
                + a.decidedBy().map(by -> " by " + by).orElse("")
                + a.note().map(n -> ": " + TranscriptText.shorten(n, HumanOutput.SHOWN_CHARS)).orElse("") + "\n");
        out.print("   asked: " + asked(a) + "\n");
        out.flush();
    }

    static ObjectNode json(Approval a) {
        ObjectNode node = JsonText.object();
        node.put("id", a.id().toString());
        node.put("sessionId", a.sessionId().toString());
        node.put("seq", a.seq());
        node.put("key", a.key());
        node.put("state", a.state().name());
        node.putRawValue("request", JsonText.stored(a.request()));
        node.put("requestedBy", a.requestedBy().value());
        node.put("requestedAt", a.requestedAt().toString());
        node.put("expiresAt", a.expiresAt().toString());
        a.decidedAt().ifPresentOrElse(at -> node.put("decidedAt", at.toString()), () -> node.putNull("decidedAt"));
        a.decidedBy().ifPresentOrElse(by -> node.put("decidedBy", by.value()), () -> node.putNull("decidedBy"));
        a.note().ifPresentOrElse(n -> node.put("note", n), () -> node.putNull("note"));
        return node;
    }

    static String shortId(Approval a) {
        return a.id().toString().substring(0, HumanOutput.SHORT_ID_LENGTH);
    }

    /** What is asked, in one line: the tool ({@code tool}, {@code tool_name} or {@code name}) and its input. */
    static String asked(Approval a) {
        JsonNode request = JsonText.parse(a.request());
        String tool = null;
        for (String field : List.of("tool", "tool_name", "name")) {
            JsonNode named = request.get(field);
            if (named != null && named.isTextual()) {
                tool = named.textValue();
                ObjectNode rest = ((ObjectNode) request).deepCopy();
                rest.remove(field);
                request = rest;
                break;
            }
        }
        JsonNode input = request.get("input");
        if (input == null) {
            input = request.get("tool_input");
        }
        String detail = input == null ? (request.isEmpty() ? "" : JsonText.compact(request))
                : input.isTextual() ? input.textValue() : JsonText.compact(input);
        String text = tool == null ? detail : detail.isEmpty() ? tool : tool + ": " + detail;
        return TranscriptText.shorten(text, HumanOutput.SHOWN_CHARS);
    }

    /** {@code 42s}, {@code 7m}, {@code 3h}, {@code 2d}: how long ago, as people glance at it. */
    static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m";
        }
        if (s < 86_400) {
            return s / 3600 + "h";
        }
        return s / 86_400 + "d";
    }

    private static String row(String[] cells, int[] widths) {
        StringBuilder text = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            text.append(c == cells.length - 1 ? cells[c] : cells[c] + " ".repeat(widths[c] - cells[c].length()) + "  ");
        }
        return text.toString();
    }

    private void print(JsonNode node) {
        out.print(JsonText.compact(node) + "\n");
        out.flush();
    }
}
