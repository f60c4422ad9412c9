package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.port.out.HealthCheck;
import io.claudesignal.sessions.application.port.in.HealthReport;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "check",
        description = "Check the database (integrity, schema version, settings, file modes) and print "
                + "every finding. Exit 0 only when all is well, else 6.")
final class CheckCommand extends CliCommand {

    @Override
    ExitCode execute() {
        HealthReport report = cli.store().maintenance().check();
        output().health(report);
        if (report.ok()) {
            return ExitCode.OK;
        }
        List<HealthCheck> failed = report.checks().stream().filter(c -> !c.ok()).toList();
        HealthCheck first = failed.get(0);
        output().error(ExitCode.STORAGE, "check failed: " + first.name() + ": " + Failures.oneLine(first.detail())
                + (failed.size() > 1 ? " (and " + (failed.size() - 1) + " more)" : ""));
        return ExitCode.STORAGE;
    }
}
