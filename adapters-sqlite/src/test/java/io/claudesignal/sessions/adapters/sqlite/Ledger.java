package io.claudesignal.sessions.adapters.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link ReliabilityWorker} acknowledged, and the check that the database holds all of it.
 * A write it tried but did not acknowledge (killed, or failed) is uncertain: it may or may not be
 * there, and the check allows for exactly those.
 */
final class Ledger {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The last acknowledged state of a session. */
    static final class Acked {
        long version;
        String status;
        final Map<String, String> keys = new LinkedHashMap<>();
    }

    private final Map<String, Acked> live = new LinkedHashMap<>();
    private final List<String> deleted = new ArrayList<>();
    private final Map<String, Integer> uncertainBySession = new HashMap<>();
    private int uncertainCreates;
    private String tried;
    private int acknowledged;
    private final java.util.Set<String> seen = new java.util.HashSet<>();
    private final List<String> last = new ArrayList<>();

    /** Reads every line a worker printed. */
    void acceptAll(List<String> lines) {
        lines.forEach(this::accept);
    }

    void accept(String line) {
        String[] f = line.split(" ");
        if (f.length > 2) {
            seen.add(f[2]);
        }
        last.add(line.length() > 120 ? line.substring(0, 120) : line);
        if (last.size() > 6) {
            last.remove(0);
        }
        if (line.startsWith("TRY ")) {
            settleTry();
            tried = line;
        } else if (line.startsWith("ACK ")) {
            tried = null;
            acknowledged++;
            String id = f[2];
            switch (f[1]) {
                case "create" -> {
                    Acked a = new Acked();
                    a.version = Long.parseLong(f[3]);
                    a.status = f[4];
                    live.put(id, a);
                }
                case "delete" -> {
                    live.remove(id);
                    deleted.add(id);
                }
                default -> {
                    Acked a = live.get(id);
                    a.version = Long.parseLong(f[3]);
                    a.status = f[4];
                    if (f[1].equals("merge")) {
                        a.keys.put(f[5], f[6]);
                    }
                }
            }
        } else if (line.startsWith("ERR ")) {
            settleTry();
        }
    }

    /** The write tried last was not acknowledged: from now on it may or may not be in the file. */
    void settleTry() {
        if (tried == null) {
            return;
        }
        String[] f = tried.split(" ");
        if (f[1].equals("create")) {
            uncertainCreates++;
        } else {
            // delete terminates first: two writes
            uncertainBySession.merge(f[2], f[1].equals("delete") ? 2 : 1, Integer::sum);
        }
        tried = null;
    }

    int acknowledged() {
        return acknowledged;
    }

    int liveSessions() {
        return live.size();
    }

    /**
     * Problems found in {@code file} (empty when every acknowledged write is there with its value):
     * {@code PRAGMA integrity_check} exactly "ok", each acknowledged session at its acknowledged
     * version (or an uncertain write later), every acknowledged context key with its value, every
     * acknowledged delete gone, and no session that was never tried.
     */
    List<String> verify(Path file, Map<String, Long> others) throws Exception {
        settleTry();
        List<String> problems = new ArrayList<>();
        Map<String, String[]> rows = new HashMap<>();
        try (Connection c = open(file);
             Statement s = c.createStatement()) {
            List<String> integrity = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                while (rs.next()) {
                    integrity.add(rs.getString(1));
                }
            }
            if (!integrity.equals(List.of("ok"))) {
                problems.add("integrity_check: " + integrity);
            }
            try (ResultSet rs = s.executeQuery("SELECT id, version, status, context FROM sessions")) {
                while (rs.next()) {
                    rows.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        }
        for (Map.Entry<String, Acked> e : live.entrySet()) {
            String id = e.getKey();
            Acked a = e.getValue();
            String[] row = rows.remove(id);
            int uncertain = uncertainBySession.getOrDefault(id, 0);
            if (row == null) {
                if (uncertain < 2) { // only an unacknowledged delete may have removed it
                    problems.add(id + ": acknowledged at version " + a.version + ", missing");
                }
                continue;
            }
            long version = Long.parseLong(row[0]);
            if (version < a.version || version > a.version + uncertain) {
                problems.add(id + ": version " + version + ", acknowledged " + a.version + " (+" + uncertain + " uncertain)");
            }
            if (version == a.version && !row[1].equals(a.status)) {
                problems.add(id + ": status " + row[1] + ", acknowledged " + a.status);
            }
            JsonNode context = JSON.readTree(row[2]);
            for (Map.Entry<String, String> k : a.keys.entrySet()) {
                if (!k.getValue().equals(context.path(k.getKey()).asText(null))) {
                    problems.add(id + ": context key " + k.getKey() + " lost or changed");
                }
            }
        }
        for (String id : deleted) {
            if (rows.remove(id) != null) {
                problems.add(id + ": acknowledged deleted, still there");
            }
        }
        for (Map.Entry<String, Long> e : others.entrySet()) {
            String[] row = rows.remove(e.getKey());
            if (row == null || Long.parseLong(row[0]) != e.getValue()) {
                problems.add(e.getKey() + ": written before this run at version " + e.getValue() + ", now "
                        + (row == null ? "missing" : row[0]));
            }
        }
        if (rows.size() > uncertainCreates) {
            List<String> unknown = new ArrayList<>();
            rows.forEach((id, row) -> unknown.add(id + " v" + row[0] + " " + row[1] + (seen.contains(id) ? " (in the output)" : "")));
            problems.add(rows.size() + " sessions nobody acknowledged, " + uncertainCreates + " creates uncertain: " + unknown
                    + "; last lines " + last);
        }
        return problems;
    }

    /** A plain connection that cannot create the file (a missing file is an error, not an empty database). */
    static Connection open(Path file) throws java.sql.SQLException {
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        config.resetOpenMode(org.sqlite.SQLiteOpenMode.CREATE);
        return config.createConnection("jdbc:sqlite:" + file);
    }

    /** Every session in {@code file} with its version, to check later that nothing moved. */
    static Map<String, Long> versions(Path file) throws Exception {
        Map<String, Long> versions = new HashMap<>();
        try (Connection c = open(file);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, version FROM sessions")) {
            while (rs.next()) {
                versions.put(rs.getString(1), rs.getLong(2));
            }
        }
        return versions;
    }
}
