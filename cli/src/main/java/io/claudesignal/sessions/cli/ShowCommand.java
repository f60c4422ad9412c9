package io.claudesignal.sessions.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = "Print one session with its context.")
final class ShowCommand extends CliCommand {

    @Parameters(paramLabel = "ID", description = CliCommand.ID_HELP)
    String id;

    @Override
    ExitCode execute() {
        var session = id(id); // first: a malformed id is refused before the store opens
        output().session(sessions().get(session), true);
        return ExitCode.OK;
    }
}
