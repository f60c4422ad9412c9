package io.claudesignal.sessions.cli;

import picocli.CommandLine.Command;

@Command(name = "recover", description = {
    "Pause every ACTIVE session whose owner is gone: its daemon's lease expired, or it has no owner and "
        + "has not changed for a lease duration (30 s). Each gets \"recovered_at\" in its context and a "
        + "crash-recovery entry in its history. Sessions of a live daemon are left alone; safe to run "
        + "while daemons run. Prints the ids recovered."})
final class RecoverCommand extends CliCommand {

    @Override
    ExitCode execute() {
        output().recovered(sessions().recover());
        return ExitCode.OK;
    }
}
