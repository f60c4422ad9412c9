package io.claudesignal.sessions.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "history", description = "Print a session's status changes, oldest first: when, why and by whom.")
final class HistoryCommand extends CliCommand {

    @Parameters(paramLabel = "ID", description = "The session id.")
    String id;

    @Override
    ExitCode execute() {
        var sessionId = id(id);
        output().history(sessionId, sessions().history(sessionId));
        return ExitCode.OK;
    }
}
