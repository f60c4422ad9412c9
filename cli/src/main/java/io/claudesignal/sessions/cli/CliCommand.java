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

    static final String ID_HELP = "The session id, or a unique prefix of it (6 or more characters).";

    /** The session a person means: a whole id, or a unique prefix (see {@link Sessions#resolve}). */
    SessionId id(String text) {
        return cli.resolve(text);
    }

    @Override
    public final Integer call() {
        return execute().code();
    }

    abstract ExitCode execute();
}
