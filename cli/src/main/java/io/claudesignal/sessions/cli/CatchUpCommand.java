package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.domain.CatchUp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "catch-up", description = "Summarise what happened in a session since you last acknowledged.")
final class CatchUpCommand extends CliCommand {

    @Parameters(paramLabel = "ID", description = "The session id.")
    String id;

    @Option(names = "--ack", description = "Also mark what is shown as seen (nothing is deleted).")
    boolean acknowledge;

    @Override
    ExitCode execute() {
        var sessionId = id(id);
        CatchUp catchUp = sessions().catchUp(sessionId);
        if (acknowledge) {
            // Up to what was shown, not to whatever arrived since: nothing unseen is marked seen.
            sessions().acknowledge(sessionId, catchUp.throughSeq());
        }
        output().catchUp(catchUp, acknowledge);
        return ExitCode.OK;
    }
}
