package io.claudesignal.sessions.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "backup",
        description = {"Copy the SQLite database, consistently, while others keep writing, into a new owner-only "
                + "file, and check the copy (PRAGMA integrity_check) before saying it is done.",
            "An existing file is never overwritten (exit 5). A PostgreSQL database is refused (exit 6): back it up "
                    + "with the server's own tools (pg_dump)."})
final class BackupCommand extends CliCommand {

    @Parameters(paramLabel = "FILE", description = "The new file.")
    String file;

    @Override
    ExitCode execute() {
        Path target = ExportCommand.path(file);
        cli.store().maintenance().backup(target);
        new OperationsOutput(cli).backedUp(target);
        return ExitCode.OK;
    }
}
