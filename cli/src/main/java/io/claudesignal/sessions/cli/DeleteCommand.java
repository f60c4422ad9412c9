package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.domain.SessionId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "delete",
        description = "Delete a TERMINATED session and its context for good. A live session is refused "
                + "(exit 4): terminate it first.")
final class DeleteCommand extends CliCommand {

    @Parameters(paramLabel = "ID", description = "The session id.")
    String id;

    @Override
    ExitCode execute() {
        SessionId session = id(id);
        sessions().delete(session);
        output().deleted(session);
        return ExitCode.OK;
    }
}
