package io.claudesignal.sessions.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = "Print one session with its context.")
final class ShowCommand extends CliCommand {

    @Parameters(paramLabel = "ID", description = "The session id.")
    String id;

    @Override
    ExitCode execute() {
        output().session(sessions().get(id(id)), true);
        return ExitCode.OK;
    }
}
