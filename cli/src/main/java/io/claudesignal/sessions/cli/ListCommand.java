package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.port.in.SessionPage;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.domain.SessionStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list",
        description = {
            "List sessions, newest first, without their contexts, one page at a time.",
            "When more follow, people see the command for the next page; scripts get its nextCursor."
        })
final class ListCommand extends CliCommand {

    // Split here, not by picocli: picocli's split respects quotes and, on an unbalanced one, prints a
    // warning of its own to System.err, a second line beside the CLI's one-line error.
    @Option(names = "--status", paramLabel = "S",
            description = "Only sessions in this status (repeat it, or separate with commas, for any of several).")
    List<String> statuses = new ArrayList<>();

    @Option(names = "--project", paramLabel = "PATH", description = "Only sessions of this project directory.")
    String project;

    @Option(names = "--thread", paramLabel = "ID", description = "Only sessions of this Signal thread.")
    String thread;

    @Option(names = "--limit", paramLabel = "N",
            description = "At most N sessions a page (1 to " + SessionQuery.MAX_LIMIT + ", default "
                    + SessionQuery.DEFAULT_LIMIT + ").")
    Integer limit;

    @Option(names = "--cursor", paramLabel = "C", description = "Continue after the page that gave this cursor.")
    String cursor;

    @Override
    ExitCode execute() {
        SessionQuery query = SessionQuery.all();
        if (!statuses.isEmpty()) {
            EnumSet<SessionStatus> wanted = EnumSet.noneOf(SessionStatus.class);
            statusNames().forEach(s -> wanted.add(SessionStatus.parse(s)));
            query = query.withStatuses(wanted);
        }
        if (project != null) {
            query = query.withProjectPath(project);
        }
        if (thread != null) {
            query = query.withThreadId(thread);
        }
        if (limit != null) {
            query = query.withLimit(limit);
        }
        if (cursor != null) {
            query = query.after(cursor);
        }
        SessionPage page = sessions().list(query);
        output().page(page, page.nextCursor().map(this::nextPageCommand));
        return ExitCode.OK;
    }

    /** This command again, for the next page: the cursor is a position, the filters must be repeated. */
    /** Every --status value, comma-separated lists split ("active," has an empty, invalid, name). */
    private List<String> statusNames() {
        return statuses.stream().flatMap(s -> Arrays.stream(s.split(",", -1))).toList();
    }

    private String nextPageCommand(String next) {
        List<String> words = new ArrayList<>(List.of("sessions", "list"));
        if (cli.db != null) {
            words.add("--db");
            words.add(cli.db);
        }
        for (String status : statusNames()) {
            words.add("--status");
            words.add(status);
        }
        Optional.ofNullable(project).ifPresent(p -> { words.add("--project"); words.add(p); });
        Optional.ofNullable(thread).ifPresent(t -> { words.add("--thread"); words.add(t); });
        Optional.ofNullable(limit).ifPresent(n -> { words.add("--limit"); words.add(n.toString()); });
        words.add("--cursor");
        words.add(next);
        List<String> quoted = new ArrayList<>();
        for (String word : words) {
            quoted.add(shellQuote(word));
        }
        return String.join(" ", quoted);
    }

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    static String shellQuote(String word) {
        return SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
