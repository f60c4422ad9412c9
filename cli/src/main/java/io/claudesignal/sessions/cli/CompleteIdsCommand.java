package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.port.in.SessionPage;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.SessionSummary;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sessions __complete-ids [--of KIND] [PREFIX]}, hidden: the ids the completion script offers,
 * one a line: newest sessions first, pending approvals, DEAD replies (see {@link IdCompletion}). Not
 * for people; its output may change.
 */
@Command(name = "__complete-ids", hidden = true,
        description = "Print the ids that start with PREFIX, one a line (for shell completion).")
final class CompleteIdsCommand extends CliCommand {

    /** Most sessions or replies read: a Tab press must answer at once, whatever the size of the store. */
    static final int MAX_SCANNED = 10_000;

    @Option(names = "--of", paramLabel = "KIND",
            description = "sessions (the default), approvals (the pending ones) or replies (the DEAD ones).")
    String of = IdCompletion.Kind.SESSIONS.option();

    @Parameters(paramLabel = "PREFIX", arity = "0..1", description = "What was typed so far.")
    String prefix = "";

    @Override
    ExitCode execute() {
        IdCompletion.Kind kind = Arrays.stream(IdCompletion.Kind.values()).filter(k -> k.option().equals(of))
                .findFirst().orElseThrow(() -> new InvalidInputException("of",
                        "must be sessions, approvals or replies, was " + of));
        String wanted = prefix.toLowerCase(Locale.ROOT);
        PrintStream out = cli.io().out();
        switch (kind) {
            case SESSIONS -> sessionIds(wanted, out);
            case APPROVALS -> cli.store().approvals().pending().stream().map(Approval::id).map(Object::toString)
                    .filter(id -> id.startsWith(wanted)).forEach(out::println);
            case REPLIES -> cli.store().outbox().list(Optional.empty(), true, MAX_SCANNED).stream().map(Reply::id)
                    .map(String::valueOf).filter(id -> id.startsWith(wanted)).forEach(out::println);
        }
        out.flush();
        return ExitCode.OK;
    }

    private void sessionIds(String wanted, PrintStream out) {
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
    }
}
