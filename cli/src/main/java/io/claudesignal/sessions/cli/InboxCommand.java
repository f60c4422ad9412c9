package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inbox", description = {
    "Print a session's messages from the person that are not handled yet (waiting, or taken by its daemon), oldest first.",
    "With --json: {\"id\", \"messages\": [{\"seq\", \"state\", \"key\", \"receivedAt\", \"message\"}]}."
})
final class InboxCommand extends CliCommand {

    static final int MAX_LIMIT = 10_000;

    @Parameters(paramLabel = "ID", description = CliCommand.ID_HELP)
    String id;

    @Option(names = "--all", description = "Also the messages already handled.")
    boolean all;

    @Option(names = "--limit", paramLabel = "N", description = "At most N messages (default: 100).")
    int limit = 100;

    @Override
    ExitCode execute() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be 1 to " + MAX_LIMIT + ", was " + limit);
        }
        SessionId session = id(id);
        new MessagesText(cli.io().out(), cli.json ? null : cli.style())
                .inbox(session, cli.store().inbox().list(session, all, limit));
        return ExitCode.OK;
    }
}
