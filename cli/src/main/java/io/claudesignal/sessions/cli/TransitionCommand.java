package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "transition",
        description = {
            "Move a session to another status.",
            "Without --expect, whatever status the session is in is read and checked in the same atomic "
                    + "step that writes the new one. With --expect, the move happens only if the session is "
                    + "still in that status (exit 4 otherwise).",
            "Allowed: CREATED -> ACTIVE or TERMINATED; ACTIVE or PAUSED -> ACTIVE, PAUSED or TERMINATED; "
                    + "TERMINATED -> TERMINATED."
        })
final class TransitionCommand extends CliCommand {

    @Parameters(paramLabel = "ID", description = "The session id.")
    String id;

    @Option(names = "--to", paramLabel = "STATUS", required = true,
            description = "The status to move to: CREATED, ACTIVE, PAUSED or TERMINATED (any case).")
    String to;

    @Option(names = "--expect", paramLabel = "STATUS",
            description = "Move only if the session is in this status now.")
    String expect;

    @Override
    ExitCode execute() {
        SessionId session = id(id);
        SessionStatus target = SessionStatus.parse(to);
        Session moved = expect == null
                ? sessions().transition(session, target)
                : sessions().transition(session, SessionStatus.parse(expect), target);
        output().session(moved, false);
        return ExitCode.OK;
    }
}
