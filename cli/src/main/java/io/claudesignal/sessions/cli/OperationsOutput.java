package io.claudesignal.sessions.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claudesignal.sessions.application.port.in.ExportReport;
import io.claudesignal.sessions.application.port.in.ImportReport;
import io.claudesignal.sessions.application.port.in.PurgeReport;
import io.claudesignal.sessions.application.port.in.StoreSizes;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What the store-operating commands (purge, export, import, backup, check's sizes) print: one JSON
 * document with {@code --json}, lines for people otherwise.
 */
final class OperationsOutput {

    private final boolean json;
    private final PrintStream out;

    OperationsOutput(SessionsCli cli) {
        this.json = cli.json;
        this.out = cli.io().out();
    }

    void purgePreview(Instant cutoff, List<SessionSummary> candidates) {
        if (json) {
            ObjectNode root = JsonText.object();
            root.put("dryRun", true);
            root.put("terminatedBefore", cutoff.toString());
            root.put("count", candidates.size());
            ArrayNode list = root.putArray("sessions");
            candidates.forEach(s -> list.add(JsonText.summary(s)));
            print(root);
            return;
        }
        for (SessionSummary s : candidates) {
            line(s.id() + "  " + s.updatedAt().truncatedTo(ChronoUnit.SECONDS) + "  " + s.threadId() + "  " + s.projectPath());
        }
        line(candidates.size() + " session(s) terminated before " + cutoff + " would be purged (dry run: nothing changed)");
    }

    void purged(PurgeReport report) {
        if (json) {
            ObjectNode root = JsonText.object();
            root.put("dryRun", false);
            root.put("terminatedBefore", report.terminatedBefore().toString());
            root.put("purged", report.purged());
            print(root);
            return;
        }
        line("purged " + report.purged() + " session(s) terminated before " + report.terminatedBefore());
    }

    void exported(ExportReport report, Path file) {
        if (json) {
            ObjectNode root = JsonText.object();
            root.put("exported", report.sessions());
            root.put("transcriptItems", report.transcriptItems());
            root.put("file", file.toString());
            print(root);
            return;
        }
        line("exported " + report.sessions() + " session(s) with " + report.transcriptItems() + " transcript item(s) to "
                + file);
    }

    void imported(ImportReport report) {
        if (json) {
            ObjectNode root = JsonText.object();
            root.put("lines", report.lines());
            root.put("imported", report.imported());
            root.put("unchanged", report.unchanged());
            ArrayNode conflicts = root.putArray("conflicts");
            report.conflicts().forEach(id -> conflicts.add(id.toString()));
            print(root);
            return;
        }
        line("imported " + report.imported() + ", unchanged " + report.unchanged() + ", conflicts "
                + report.conflicts().size());
        report.conflicts().forEach(id -> line("conflict " + id + ": exists with other content, not overwritten"));
    }

    void backedUp(Path file) {
        if (json) {
            ObjectNode root = JsonText.object();
            root.put("backup", file.toString());
            root.put("integrity", "ok");
            print(root);
            return;
        }
        line("backed up to " + file + " (integrity_check: ok)");
    }

    /** The sizes as {@code check --json} carries them. */
    static ObjectNode sizes(StoreSizes sizes) {
        ObjectNode node = JsonText.object();
        ObjectNode byStatus = node.putObject("sessionsByStatus");
        for (SessionStatus status : SessionStatus.values()) {
            byStatus.put(status.name(), sizes.sessionsByStatus().get(status));
        }
        node.put("sessions", sizes.sessions());
        node.put("transcriptItems", sizes.transcriptItems());
        if (sizes.fileBytes().isPresent()) {
            node.put("fileBytes", sizes.fileBytes().getAsLong());
        } else {
            node.putNull("fileBytes");
        }
        return node;
    }

    private void print(ObjectNode root) {
        out.print(JsonText.compact(root) + "\n");
        out.flush();
    }

    private void line(String text) {
        out.print(text + "\n");
        out.flush();
    }
}
