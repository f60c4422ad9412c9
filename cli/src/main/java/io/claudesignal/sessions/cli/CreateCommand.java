package io.claudesignal.sessions.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "create", description = "Create a session (CREATED, empty context) and print it.")
final class CreateCommand extends CliCommand {

    @Option(names = "--project", paramLabel = "PATH", required = true,
            description = "The project directory, an absolute path.")
    String project;

    @Option(names = "--thread", paramLabel = "ID", required = true,
            description = "The Signal thread the session talks to.")
    String thread;

    @Override
    ExitCode execute() {
        output().session(sessions().create(project, thread), true);
        return ExitCode.OK;
    }
}
