package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.domain.SessionId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** What every subcommand shares: help and version options, and access to the store and the output. */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        synopsisHeading = "Usage: ", descriptionHeading = "%n", parameterListHeading = "%n",
        optionListHeading = "%nOptions:%n")
abstract class CliCommand implements Callable<Integer> {

    @ParentCommand
    SessionsCli cli;

    Sessions sessions() {
        return cli.sessions();
    }

    Output output() {
        return cli.output();
    }

    static SessionId id(String text) {
        return SessionId.parse(text);
    }

    @Override
    public final Integer call() {
        return execute().code();
    }

    abstract ExitCode execute();
}
