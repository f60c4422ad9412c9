package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.domain.SessionId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "create", description = "Create a session (CREATED, empty context) and print it; with --id, under an id you choose.")
final class CreateCommand extends CliCommand {

    @Option(names = "--project", paramLabel = "PATH", required = true,
            description = "The project directory, an absolute path.")
    String project;

    @Option(names = "--thread", paramLabel = "ID", required = true,
            description = "The Signal thread the session talks to.")
    String thread;

    @Option(names = "--id", paramLabel = "UUID",
            description = "Create it under this id (a whole UUID). Run again with the same project and thread, "
                    + "it prints the session made the first time; with another project or thread, exit 4.")
    String id;

    @Override
    ExitCode execute() {
        output().session(id == null ? sessions().create(project, thread)
                : sessions().create(SessionId.parse(id), project, thread), true);
        return ExitCode.OK;
    }
}
