package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.port.in.StoreSizes;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.CatchUp;
import io.claudesignal.sessions.domain.Transition;
import java.util.List;

import io.claudesignal.sessions.application.port.out.HealthCheck;
import io.claudesignal.sessions.application.port.in.HealthReport;
import io.claudesignal.sessions.application.port.in.SessionPage;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionSummary;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Arrays;
import java.util.stream.Collectors;
import io.claudesignal.sessions.domain.SessionStatus;

/** Readable text: a labelled block for a session, a table for a list. */
final class HumanOutput implements Output {

    private final PrintStream out;
    private final PrintStream err;
    private final Style style;
    private final String indent;

    HumanOutput(PrintStream out, PrintStream err, Style style) {
        this(out, err, style, "");
    }

    /** Output whose every line on stdout starts with {@code indent} (the demo's tables). */
    HumanOutput(PrintStream out, PrintStream err, Style style, String indent) {
        this.out = out;
        this.err = err;
        this.style = style;
        this.indent = indent;
    }

    @Override
    public void session(Session s, boolean withContext) {
        line(label("id") + s.id());
        line(label("status") + style.status(s.status(), s.status().name()));
        line(label("project") + s.projectPath());
        line(label("thread") + s.threadId());
        line(label("created") + s.createdAt());
        line(label("updated") + s.updatedAt());
        line(label("version") + s.version());
        line(label("pinned") + (s.pinned() ? "yes (kept by purge)" : "no"));
        s.forkedFrom().ifPresent(origin -> line(label("forked") + "from " + origin.parentId() + " at item #" + origin.seq()));
        if (withContext) {
            String indent = " ".repeat(LABEL_WIDTH);
            String context = JsonText.pretty(JsonText.parse(s.context())).replace("\n", "\n" + indent);
            line(label("context") + context);
        }
        out.flush();
    }

    private static final int LABEL_WIDTH = 9;

    private String label(String name) {
        return style.dim(name) + " ".repeat(LABEL_WIDTH - name.length());
    }

    @Override
    public void page(SessionPage page, Optional<String> nextPage, boolean longIds) {
        if (page.sessions().isEmpty()) {
            line("no sessions");
        } else {
            List<String[]> rows = new ArrayList<>();
            for (SessionSummary s : page.sessions()) {
                rows.add(new String[] {
                    longIds ? s.id().toString() : shortId(s.id()), s.status().name() + (s.pinned() ? " pinned" : ""),
                    seconds(s.updatedAt()), s.threadId(), s.projectPath()});
            }
            String[] header = {"ID", "STATUS", "UPDATED", "THREAD", "PROJECT"};
            int[] widths = new int[header.length];
            for (int c = 0; c < header.length; c++) {
                widths[c] = header[c].length();
                for (String[] row : rows) {
                    widths[c] = Math.max(widths[c], row[c].length());
                }
            }
            StringBuilder head = new StringBuilder();
            for (int c = 0; c < header.length; c++) {
                head.append(c == header.length - 1 ? header[c] : pad(header[c], widths[c]) + "  ");
            }
            line(style.bold(head.toString()));
            for (int r = 0; r < rows.size(); r++) {
                String[] row = rows.get(r);
                StringBuilder text = new StringBuilder();
                for (int c = 0; c < row.length; c++) {
                    String cell = c == row.length - 1 ? row[c] : pad(row[c], widths[c]) + "  ";
                    text.append(c == 1 ? style.status(page.sessions().get(r).status(), cell) : cell);
                }
                line(text.toString());
            }
        }
        nextPage.ifPresent(command -> line(style.dim("more: " + command)));
        out.flush();
    }

    /** How many characters of an id {@code list} shows people: as git's and docker's short ids. */
    static final int SHORT_ID_LENGTH = 8;

    /** How many characters of a message, a reply or what an approval asks one line shows. */
    static final int SHOWN_CHARS = 80;

    static String shortId(SessionId id) {
        return id.toString().substring(0, SHORT_ID_LENGTH);
    }

    private static String seconds(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }

    @Override
    public void deleted(SessionId id) {
        line("deleted session " + id);
        out.flush();
    }

    @Override
    public void history(SessionId id, List<Transition> history) {
        if (history.isEmpty()) {
            line("session " + id + " has not changed status since it was created");
        }
        for (Transition t : history) {
            line(t.at() + "  " + pad(t.from().name(), 10) + " -> " + pad(t.to().name(), 10) + "  "
                    + t.reason() + " (" + t.actor() + ")");
        }
        out.flush();
    }

    @Override
    public void recovered(List<SessionId> ids) {
        if (ids.isEmpty()) {
            line("nothing to recover: every ACTIVE session has a live owner");
        } else {
            line("recovered " + ids.size() + (ids.size() == 1 ? " session" : " sessions") + " (now PAUSED):");
            ids.forEach(id -> line(id.toString()));
        }
        out.flush();
    }

    @Override
    public void activities(SessionId id, List<Activity> activities) {
        if (activities.isEmpty()) {
            line("session " + id + " has no activity");
        }
        activities.forEach(this::activity);
        out.flush();
    }

    @Override
    public void catchUp(CatchUp catchUp, boolean acknowledged) {
        line(catchUp.summary());
        catchUp.activities().forEach(this::activity);
        if (acknowledged && catchUp.count() > 0) {
            line("marked as seen up to #" + catchUp.throughSeq());
        }
        out.flush();
    }

    private void activity(Activity a) {
        line("#" + a.seq() + "  " + a.at() + "  " + a.type() + ("{}".equals(a.details()) ? "" : "  " + a.details()));
    }

    @Override
    public void health(HealthReport report, Optional<StoreSizes> sizes) {
        int width = 0;
        for (HealthCheck check : report.checks()) {
            width = Math.max(width, check.name().length());
        }
        for (HealthCheck check : report.checks()) {
            String verdict = check.ok() ? style.green("ok  ") : style.red("FAIL");
            line(verdict + "  " + pad(check.name(), width) + "  " + check.detail());
        }
        sizes.ifPresent(s -> line(style.dim("sizes") + "  " + describe(s)));
        if (report.ok()) {
            line(report.checks().isEmpty() ? "nothing to check" : "all is well");
        }
        out.flush();
    }

    /** "3 session(s): 2 CREATED, 1 TERMINATED, 5 transcript item(s), 106496 bytes on disk". */
    private static String describe(StoreSizes sizes) {
        StringBuilder text = new StringBuilder(sizes.sessions() + " session(s)");
        String byStatus = Arrays.stream(SessionStatus.values()).filter(st -> sizes.sessionsByStatus().get(st) > 0)
                .map(st -> sizes.sessionsByStatus().get(st) + " " + st.name()).collect(Collectors.joining(", "));
        if (!byStatus.isEmpty()) {
            text.append(" (").append(byStatus).append(')');
        }
        text.append(", ").append(sizes.transcriptItems()).append(" transcript item(s)");
        sizes.fileBytes().ifPresent(bytes -> text.append(", ").append(bytes).append(" bytes on disk"));
        return text.toString();
    }

    @Override
    public void error(ExitCode code, String message) {
        err.print("sessions: " + message + "\n");
        err.flush();
    }

    private void line(String text) {
        out.print(indent + text + "\n");
    }
}
