package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.port.in.PurgeReport;
import io.claudesignal.sessions.application.port.in.PurgeRequest;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionSummary;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "purge",
        description = {"Delete, for good, the TERMINATED sessions last changed before a cut-off, with their history, "
                + "activity log and transcript. Pinned sessions and sessions in any other status are never purged.",
            "Runs in short batches: a daemon using the database keeps working meanwhile."})
final class PurgeCommand extends CliCommand {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhdw])");

    @Option(names = "--terminated-before", paramLabel = "AGE|INSTANT", required = true,
            description = "An age such as 30d, 12h, 45m, 10s, 2w (that long before now; 0s is now), "
                    + "or an ISO-8601 instant such as 2026-01-31T00:00:00Z.")
    String terminatedBefore;

    @Option(names = "--dry-run", description = "List what would be purged; change nothing.")
    boolean dryRun;

    @Override
    ExitCode execute() {
        Instant cutoff = cutoff(terminatedBefore, Instant.now());
        var maintenance = cli.store().maintenance();
        OperationsOutput out = new OperationsOutput(cli);
        if (dryRun) {
            List<SessionSummary> candidates;
            try (ProgressDisplay.Shown progress = cli.progress().start("finding")) {
                candidates = maintenance.previewPurge(new PurgeRequest(cutoff, progress));
            }
            out.purgePreview(cutoff, candidates);
        } else {
            PurgeReport report;
            try (ProgressDisplay.Shown progress = cli.progress().start("purging")) {
                report = maintenance.purge(new PurgeRequest(cutoff, progress));
            }
            out.purged(report);
        }
        return ExitCode.OK;
    }

    /** The cut-off an age or instant names, relative to {@code now}. */
    static Instant cutoff(String text, Instant now) {
        String field = "--terminated-before";
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(field, "must not be blank");
        }
        Matcher m = DURATION.matcher(text.strip());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration age = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            return now.minus(age);
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "neither an age (30d, 12h, 45m, 10s, 2w) nor an ISO-8601 instant "
                    + "(2026-01-31T00:00:00Z): " + text);
        }
    }
}
