package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.TranscriptItem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fork", description = {
    "Start a new session from this one: CREATED, same project and thread, a copy of the context, and the "
            + "transcript up to an item (keeping its numbers). The session itself is untouched.",
    "The new session's show names where it came from (\"forkedFrom\")."
})
final class ForkCommand extends CliCommand {

    @Parameters(paramLabel = "ID", description = "The session to fork.")
    String id;

    @Option(names = "--at", paramLabel = "SEQ",
            description = "The last item the fork gets; 0 for the context only (default: the newest item).")
    Long at;

    @Override
    ExitCode execute() {
        SessionId parent = id(id);
        long through = at != null ? at : cli.store().transcripts().tail(parent, 1).stream()
                .mapToLong(TranscriptItem::seq).findFirst().orElse(0);
        output().session(sessions().fork(parent, through), true);
        return ExitCode.OK;
    }
}
