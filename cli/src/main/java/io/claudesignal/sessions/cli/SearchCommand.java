package io.claudesignal.sessions.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claudesignal.sessions.application.port.in.TranscriptMatch;
import io.claudesignal.sessions.application.port.in.TranscriptMatches;
import io.claudesignal.sessions.application.port.in.TranscriptQuery;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionStatus;
import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "search",
        description = {
            "Search every conversation transcript for items holding all the words of TEXT (any case, whole words,",
            "only the items' text: not their keys or numbers), newest first: one line a match with the short id,",
            "the item's number, its time and a snippet, the words highlighted on a terminal. TEXT is taken",
            "literally: quotes and operators are just characters.",
            "With --json: {\"matches\": [{\"session\", \"seq\", \"at\", \"snippet\", \"marks\": [[start, end]]}],",
            "\"nextCursor\": C or null}; marks count characters (code points) of the snippet, end exclusive."
        })
final class SearchCommand extends CliCommand {

    // Several words without quotes are one query, as a person types them: `sessions search login bug`.
    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "The words to look for (quotes optional).")
    List<String> words;

    @Option(names = "--session", paramLabel = "ID", description = "Only this session's transcript (" + "an id or a unique prefix).")
    String session;

    @Option(names = "--status", paramLabel = "S",
            description = "Only sessions in this status (repeat it, or separate with commas, for any of several).")
    List<String> statuses = new ArrayList<>();

    @Option(names = "--since", paramLabel = "TIME", description = "Only items appended at or after TIME (e.g. 2026-11-30T04:00:00Z).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only items appended before TIME.")
    String until;

    @Option(names = "--limit", paramLabel = "N", description = "At most N matches a page (1 to "
            + TranscriptQuery.MAX_LIMIT + ", default " + TranscriptQuery.DEFAULT_LIMIT + ").")
    Integer limit;

    @Option(names = "--cursor", paramLabel = "C", description = "Continue after the page that gave this cursor.")
    String cursor;

    @Override
    ExitCode execute() {
        TranscriptQuery query = TranscriptQuery.of(String.join(" ", words));
        if (session != null) {
            query = query.inSession(id(session));
        }
        if (!statuses.isEmpty()) {
            EnumSet<SessionStatus> wanted = EnumSet.noneOf(SessionStatus.class);
            statuses.stream().flatMap(s -> Arrays.stream(s.split(",", -1))).forEach(s -> wanted.add(SessionStatus.parse(s)));
            query = query.withStatuses(wanted);
        }
        if (since != null) {
            query = query.since(instant("--since", since));
        }
        if (until != null) {
            query = query.until(instant("--until", until));
        }
        if (limit != null) {
            query = query.withLimit(limit);
        }
        if (cursor != null) {
            query = query.after(cursor);
        }
        TranscriptMatches page = cli.store().transcripts().search(query);
        PrintStream out = cli.io().out();
        if (cli.json) {
            out.print(JsonText.compact(json(page)) + "\n");
        } else {
            print(out, page, cli.style(), this::nextPageCommand);
        }
        out.flush();
        return ExitCode.OK;
    }

    /** This command again, for the next page: the cursor is a position, the filters must be repeated. */
    private String nextPageCommand(String next) {
        List<String> command = new ArrayList<>(List.of("sessions", "search", String.join(" ", words)));
        if (cli.db != null) {
            command.addAll(List.of("--db", cli.db));
        }
        Optional.ofNullable(session).ifPresent(s -> command.addAll(List.of("--session", s)));
        statuses.forEach(s -> command.addAll(List.of("--status", s)));
        Optional.ofNullable(since).ifPresent(t -> command.addAll(List.of("--since", t)));
        Optional.ofNullable(until).ifPresent(t -> command.addAll(List.of("--until", t)));
        Optional.ofNullable(limit).ifPresent(n -> command.addAll(List.of("--limit", n.toString())));
        command.addAll(List.of("--cursor", next));
        return String.join(" ", command.stream().map(ListCommand::shellQuote).toList());
    }

    private static Instant instant(String option, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(option, "is not a time such as 2026-11-30T04:00:00Z: " + text);
        }
    }

    static ObjectNode json(TranscriptMatches page) {
        ObjectNode root = JsonText.object();
        ArrayNode matches = root.putArray("matches");
        for (TranscriptMatch m : page.matches()) {
            ObjectNode node = matches.addObject();
            node.put("session", m.sessionId().toString());
            node.put("seq", m.seq());
            node.put("at", m.at().toString());
            String snippet = m.snippet().text();
            node.put("snippet", snippet);
            ArrayNode marks = node.putArray("marks");
            for (TranscriptMatch.Mark mark : m.snippet().marks()) {
                marks.addArray().add(snippet.codePointCount(0, mark.start())).add(snippet.codePointCount(0, mark.end()));
            }
        }
        if (page.nextCursor().isPresent()) {
            root.put("nextCursor", page.nextCursor().get());
        } else {
            root.putNull("nextCursor");
        }
        return root;
    }

    /** {@code 4c59adf8  #12  2026-11-30T04:00:00Z  …the login bug…}, the words highlighted when in colour. */
    static String line(TranscriptMatch m, Style style) {
        String snippet = style.colour() ? m.snippet().marked("\u001b[1;33m", "\u001b[0m") : m.snippet().text();
        return style.cyan(HumanOutput.shortId(m.sessionId())) + "  #" + m.seq() + "  "
                + style.dim(m.at().truncatedTo(ChronoUnit.SECONDS).toString()) + "  " + snippet;
    }

    static void print(PrintStream out, TranscriptMatches page, Style style, java.util.function.UnaryOperator<String> next) {
        if (page.matches().isEmpty()) {
            out.print("no matches\n");
        }
        page.matches().forEach(m -> out.print(line(m, style) + "\n"));
        page.nextCursor().ifPresent(c -> out.print(style.dim("more: " + next.apply(c)) + "\n"));
    }
}
