package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.application.port.in.ExportReport;
import io.claudesignal.sessions.application.port.in.ExportRequest;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionStatus;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export",
        description = {"Write sessions as JSON Lines, one session per line with its context, history, activity log "
                + "and transcript (format: docs/export-format.md), newest first.",
            "To standard output, or with -o to a new owner-only file (an existing file is refused, exit 5)."})
final class ExportCommand extends CliCommand {

    @Option(names = "--status", paramLabel = "S",
            description = "Only sessions in this status (repeat it, or separate with commas, for any of several).")
    List<String> statuses = new ArrayList<>();

    @Option(names = "--since", paramLabel = "INSTANT",
            description = "Only sessions created at or after this ISO-8601 instant.")
    String since;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to this new file.")
    String output;

    @Override
    ExitCode execute() {
        EnumSet<SessionStatus> wanted = EnumSet.noneOf(SessionStatus.class);
        statuses.stream().flatMap(s -> Arrays.stream(s.split(",", -1))).forEach(s -> wanted.add(SessionStatus.parse(s)));
        Optional<Instant> from = Optional.ofNullable(since).map(ExportCommand::instant);
        Path file = output == null ? null : path(output);
        var maintenance = cli.store().maintenance();
        ExportReport report;
        if (file == null) {
            // Standard output carries the lines themselves; nothing else is printed there.
            Writer out = new BufferedWriter(new OutputStreamWriter(cli.io().out(), StandardCharsets.UTF_8), 1 << 16);
            try (ProgressDisplay.Shown progress = cli.progress().start("exporting")) {
                maintenance.exportTo(out, new ExportRequest(wanted, from, progress));
            }
            return ExitCode.OK;
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new InvalidInputException("--output", file + " exists already; export never overwrites a file");
        } catch (IOException | UnsupportedOperationException e) {
            throw new InvalidInputException("--output", "cannot create " + file + ": " + e.getMessage());
        }
        boolean done = false;
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                ProgressDisplay.Shown progress = cli.progress().start("exporting")) {
            report = maintenance.exportTo(out, new ExportRequest(wanted, from, progress));
            done = true;
        } catch (IOException e) {
            throw new StorageException(StorageException.Reason.IO, file, "writing " + file + " failed: " + e.getMessage(), e);
        } finally {
            if (!done) {
                // A half-written export is worse than none: it would import as fewer sessions.
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // The failure being reported matters more.
                }
            }
        }
        new OperationsOutput(cli).exported(report, file);
        return ExitCode.OK;
    }

    static Instant instant(String text) {
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("--since", "not an ISO-8601 instant (2026-01-31T00:00:00Z): " + text);
        }
    }

    static Path path(String text) {
        try {
            return Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new InvalidInputException("FILE", "not a valid path: " + e.getMessage());
        }
    }
}
