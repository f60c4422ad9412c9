package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.port.in.SessionPage;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.domain.SessionSummary;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sessions __complete-ids [PREFIX]}, hidden: the ids the completion script offers, one a line,
 * newest sessions first. Not for people; its output may change.
 */
@Command(name = "__complete-ids", hidden = true,
        description = "Print the ids of the newest sessions that start with PREFIX, one a line (for shell completion).")
final class CompleteIdsCommand extends CliCommand {

    /** Most sessions read: a Tab press must answer at once, whatever the size of the store. */
    static final int MAX_SCANNED = 10_000;

    @Parameters(paramLabel = "PREFIX", arity = "0..1", description = "What was typed so far.")
    String prefix = "";

    @Override
    ExitCode execute() {
        String wanted = prefix.toLowerCase(Locale.ROOT);
        PrintStream out = cli.io().out();
        Optional<String> cursor = Optional.empty();
        int scanned = 0;
        do {
            SessionQuery query = SessionQuery.all().withLimit(SessionQuery.MAX_LIMIT);
            SessionPage page = sessions().list(cursor.map(query::after).orElse(query));
            for (SessionSummary s : page.sessions()) {
                String id = s.id().toString();
                if (id.startsWith(wanted)) {
                    out.println(id);
                }
            }
            scanned += page.sessions().size();
            cursor = page.nextCursor();
        } while (cursor.isPresent() && scanned < MAX_SCANNED);
        out.flush();
        return ExitCode.OK;
    }
}
