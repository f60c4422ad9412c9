package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The everyday transitions, each one of the {@link Sessions} methods of the same name. */
abstract class LifecycleCommand extends CliCommand {

    @Parameters(paramLabel = "ID", description = "The session id.")
    String id;

    private final BiFunction<Sessions, SessionId, Session> move;

    LifecycleCommand(BiFunction<Sessions, SessionId, Session> move) {
        this.move = move;
    }

    @Override
    ExitCode execute() {
        SessionId session = id(id);
        output().session(move.apply(sessions(), session), false);
        return ExitCode.OK;
    }

    @Command(name = "activate", description = "Make a CREATED or PAUSED session ACTIVE (an ACTIVE one stays so).")
    static final class Activate extends LifecycleCommand {
        Activate() {
            super(Sessions::activate);
        }
    }

    @Command(name = "pause", description = "Pause an ACTIVE session (a PAUSED one stays so).")
    static final class Pause extends LifecycleCommand {
        Pause() {
            super(Sessions::pause);
        }
    }

    @Command(name = "resume", description = "Make a PAUSED session ACTIVE again; any other status is a conflict (exit 4).")
    static final class Resume extends LifecycleCommand {
        Resume() {
            super(Sessions::resume);
        }
    }

    @Command(name = "terminate", description = "End a session, whatever its status; ending an ended one is harmless.")
    static final class Terminate extends LifecycleCommand {
        Terminate() {
            super(Sessions::terminate);
        }
    }
}
