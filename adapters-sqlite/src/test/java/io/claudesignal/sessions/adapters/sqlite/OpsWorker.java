package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.application.port.in.ExportReport;
import io.claudesignal.sessions.application.port.in.ExportRequest;
import io.claudesignal.sessions.application.port.in.Maintenance;
import io.claudesignal.sessions.application.port.in.PurgeRequest;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.service.MaintenanceService;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Session;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * A child process for {@link OperationsProcessTest}. Modes:
 * <ul>
 *   <li>{@code write DB N}: a daemon's work, N times: create, activate, append to the transcript,
 *       terminate; prints {@code wrote ID} for each;</li>
 *   <li>{@code purge DB INSTANT}: one purge with that cut-off; prints {@code purged N};</li>
 *   <li>{@code export DB FILE}: exports every session to FILE; prints {@code exported N items M}.</li>
 * </ul>
 * Prints READY once open and starts when a line arrives on standard input, so that processes start
 * together. Exits 1 after printing {@code error: ...} if anything fails.
 */
public final class OpsWorker {

    private OpsWorker() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path db = Path.of(args[1]);
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            SessionService sessions = new SessionService(storage.persistence(), Clock.systemUTC(),
                    SessionIdGenerator.random(), new ContextJson());
            Maintenance maintenance = new MaintenanceService(storage.diagnostics(), storage.operations(),
                    storage.persistence(), new ContextJson());
            System.out.println("READY");
            System.out.flush();
            System.in.read();
            switch (mode) {
                case "write" -> {
                    int n = Integer.parseInt(args[2]);
                    for (int i = 0; i < n; i++) {
                        Session s = sessions.activate(sessions.create("/srv/daemon", "t" + i).id());
                        sessions.transcripts().append(s.id(), "{\"turn\":" + i + "}");
                        sessions.terminate(s.id());
                        System.out.println("wrote " + s.id());
                    }
                }
                case "purge" -> System.out.println("purged "
                        + maintenance.purge(new PurgeRequest(Instant.parse(args[2]))).purged());
                case "export" -> {
                    try (Writer out = Files.newBufferedWriter(Path.of(args[2]), StandardCharsets.UTF_8)) {
                        ExportReport report = maintenance.exportTo(out, ExportRequest.all());
                        System.out.println("exported " + report.sessions() + " items " + report.transcriptItems());
                    }
                }
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            }
        } catch (Throwable e) {
            System.out.println("error: " + e);
            System.out.flush();
            System.exit(1);
        }
        System.out.flush();
        System.exit(0);
    }
}
