package io.claudesignal.sessions.tck;

import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.domain.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * Sessions whose stored JSON is as awkward as the API lets it be, for the export/import round trips
 * ({@link ExportImportKit}, and across adapters in the bootstrap module's tests): items spanning
 * several lines, every form of JSON number, every escape, a 1 MiB item and a transcript over 5 MB.
 * The store must give every byte back.
 */
public final class HostileContent {

    /** The largest item {@link #fill} appends: a store's item limit must be at least this. */
    public static final int LARGEST_ITEM = 1024 * 1024;

    /** Items that break a line or a naive parser; each must come back byte for byte. */
    public static final List<String> ITEMS = List.of(
            "{\n  \"role\": \"user\",\n  \"content\": \"hi\"\n}\n",
            "{\r\n\t\"crlf\" : true\r\n}\r\n",
            "  {\"leading\":\"and trailing blanks\"}   ",
            "{\"numbers\":[0,-0,-0.0,1.50e0,1.5E+2,2e-7,-1E-400,1e400,12345678901234567890123456789,"
                    + "0.1000000000000000055511151231257827,3.0,1.0e00]}",
            "{\"x\": -0.0, \"n\": 1.50e0, \"s\": \"caf\\u00e9\"}",
            "{\"escapes\":\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0000 \\u001f \\u2028 \\u2029 \\ud83d\\ude00\"}",
            "{\"raw\":\"café 😀 \u2028 \u2029 ünïcödé\"}",
            "{\"nested\":{\"a\":[{\"b\":[[],{}]}],\"empty\":\"\",\"t\":true,\"f\":false,\"z\":null}}",
            "{\"a\":1}\n\n\n");

    private HostileContent() {
    }

    /** An item of exactly {@code bytes} UTF-8 bytes, spread over many lines. */
    public static String bigItem(int bytes, char fill) {
        String head = "{\"big\":\n\"";
        String tail = "\"\n}";
        return head + String.valueOf(fill).repeat(bytes - head.length() - tail.length()) + tail;
    }

    /**
     * Fills a store through the API: one session with the hostile items, a 1 MiB item and over 5 MB of
     * transcript in all, a fork of it, one terminated, one with hostile keys and activities.
     *
     * @return the sessions made, and the items each was given in order
     */
    public static List<Session> fill(Sessions sessions, Transcripts transcripts) {
        List<Session> made = new ArrayList<>();
        Session big = sessions.activate(sessions.create("/home/ana/code/hostile", "+15551234567").id());
        sessions.mergeContext(big.id(), "{\"n\":1.50,\"neg\":-0.0,\"e\":1E+2,\"big\":12345678901234567890123,"
                + "\"s\":\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\n\"}");
        sessions.appendActivity(big.id(), "edit", "{\"file\":\"a\\nb.txt\",\"n\":-0.0}");
        for (String item : ITEMS) {
            transcripts.append(big.id(), item);
        }
        transcripts.append(big.id(), bigItem(LARGEST_ITEM, 'x'), "the-1MiB-item");
        for (int i = 0; i < 5; i++) {
            transcripts.append(big.id(), bigItem(LARGEST_ITEM - 1000 * i, (char) ('a' + i)));
        }
        made.add(sessions.get(big.id()));
        Session fork = sessions.fork(big.id(), 4);
        transcripts.append(fork.id(), ITEMS.get(0), "key with spaces and ünïcödé");
        made.add(sessions.get(fork.id()));
        Session ended = sessions.create("/srv/other path/ünïcödé", "group.abc");
        transcripts.append(ended.id(), ITEMS.get(1));
        transcripts.popLast(ended.id());
        made.add(sessions.terminate(ended.id()));
        return made;
    }
}
