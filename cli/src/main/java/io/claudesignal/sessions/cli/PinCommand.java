package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.domain.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code pin} and {@code unpin}: whether retention ({@code purge}) may ever remove a session. */
abstract class PinCommand extends CliCommand {

    @Parameters(paramLabel = "ID", description = "The session id.")
    String id;

    abstract boolean pin();

    @Override
    ExitCode execute() {
        Session session = pin() ? cli.store().maintenance().pin(id(id)) : cli.store().maintenance().unpin(id(id));
        output().session(session, false);
        return ExitCode.OK;
    }

    @Command(name = "pin", description = "Pin a session: purge never removes it, whatever its status and age. "
            + "Its version and updatedAt do not change.")
    static final class Pin extends PinCommand {
        @Override
        boolean pin() {
            return true;
        }
    }

    @Command(name = "unpin", description = "Unpin a session: purge may remove it again once it is TERMINATED "
            + "and old enough.")
    static final class Unpin extends PinCommand {
        @Override
        boolean pin() {
            return false;
        }
    }
}
