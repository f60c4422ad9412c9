package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.port.in.ImportReport;
import io.claudesignal.sessions.domain.InvalidInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "import",
        description = {"Read an export (docs/export-format.md) into this database, each session in one transaction.",
            "A session already here with the same content is left alone (importing twice changes nothing); one "
                    + "with other content is a conflict: listed, not overwritten, and the import goes on (exit 4).",
            "A line that cannot be read stops the import (exit 5, with its number); the sessions of the lines "
                    + "before it stay imported."})
final class ImportCommand extends CliCommand {

    @Parameters(paramLabel = "FILE", description = "The export file, or - for standard input.")
    String file;

    @Override
    ExitCode execute() {
        ImportReport report;
        try (Reader in = open(); ProgressDisplay.Shown progress = cli.progress().start("importing")) {
            report = cli.store().maintenance().importFrom(in, progress);
        } catch (IOException e) {
            throw new InvalidInputException("FILE", "cannot read " + file + ": " + e.getMessage());
        }
        new OperationsOutput(cli).imported(report);
        if (!report.conflicts().isEmpty()) {
            output().error(ExitCode.CONFLICT, report.conflicts().size() + " session(s) exist with other content and "
                    + "were not overwritten, first " + report.conflicts().get(0));
            return ExitCode.CONFLICT;
        }
        return ExitCode.OK;
    }

    private Reader open() throws IOException {
        // Malformed UTF-8 is an unreadable line, not a silently replaced character.
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        if (file.equals("-")) {
            return new BufferedReader(new InputStreamReader(cli.io().in(), decoder), 1 << 16);
        }
        Path path = ExportCommand.path(file);
        if (!Files.isRegularFile(path)) {
            throw new InvalidInputException("FILE", path + " is not a readable file");
        }
        return new BufferedReader(new InputStreamReader(Files.newInputStream(path), decoder), 1 << 16);
    }
}
