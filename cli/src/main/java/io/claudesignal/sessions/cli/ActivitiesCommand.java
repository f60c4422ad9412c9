package io.claudesignal.sessions.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "activities", description = "Print a session's activity log (the newest entries it keeps), oldest first.")
final class ActivitiesCommand extends CliCommand {

    @Parameters(paramLabel = "ID", description = "The session id.")
    String id;

    @Override
    ExitCode execute() {
        var sessionId = id(id);
        output().activities(sessionId, sessions().activities(sessionId));
        return ExitCode.OK;
    }
}
