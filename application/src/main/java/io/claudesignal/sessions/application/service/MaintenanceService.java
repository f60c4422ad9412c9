package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.application.port.in.ExportReport;
import io.claudesignal.sessions.application.port.in.ExportRequest;
import io.claudesignal.sessions.application.port.in.HealthReport;
import io.claudesignal.sessions.application.port.in.ImportReport;
import io.claudesignal.sessions.application.port.in.Maintenance;
import io.claudesignal.sessions.application.port.in.Progress;
import io.claudesignal.sessions.application.port.in.PurgeReport;
import io.claudesignal.sessions.application.port.in.PurgeRequest;
import io.claudesignal.sessions.application.port.in.StoreSizes;
import io.claudesignal.sessions.application.port.out.PageCursor;
import io.claudesignal.sessions.application.port.out.PageRequest;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.SessionArchive;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link Maintenance} over the diagnostics and operations of whichever store is installed. */
public final class MaintenanceService implements Maintenance {

    /** Sessions one purge transaction deletes at most: keeps each hold on the write lock short. */
    static final int PURGE_BATCH = 50;
    /** Sessions (summaries) and transcript items read per page by an export. */
    static final int PAGE = 200;

    private final StorageDiagnostics diagnostics;
    private final StoreOperations operations;
    private final Persistence persistence;
    private final ExportFormat format;
    private final ImportLines importer;
    private final StoreMetrics metrics;

    /** Reporting no metrics. */
    public MaintenanceService(StorageDiagnostics diagnostics, StoreOperations operations, Persistence persistence,
            ContextJson json) {
        this(diagnostics, operations, persistence, json, StoreMetrics.NONE);
    }

    /** Reporting the sessions purges remove and imports write to {@code metrics}. */
    public MaintenanceService(StorageDiagnostics diagnostics, StoreOperations operations, Persistence persistence,
            ContextJson json, StoreMetrics metrics) {
        this.diagnostics = Objects.requireNonNull(diagnostics, "diagnostics");
        this.operations = Objects.requireNonNull(operations, "operations");
        this.persistence = Objects.requireNonNull(persistence, "persistence");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.format = new ExportFormat(json.maxBytes());
        this.importer = new ImportLines(format, operations, json, this::writeLine, metrics);
    }

    @Override
    public HealthReport check() {
        return new HealthReport(diagnostics.run());
    }

    @Override
    public StoreSizes sizes() {
        StoreOperations.Sizes raw = operations.sizes();
        return new StoreSizes(raw.sessionsByStatus(), raw.transcriptItems(), raw.fileBytes());
    }

    @Override
    public Session pin(SessionId id) {
        return operations.setPinned(Objects.requireNonNull(id, "id"), true);
    }

    @Override
    public Session unpin(SessionId id) {
        return operations.setPinned(Objects.requireNonNull(id, "id"), false);
    }

    @Override
    public List<SessionSummary> previewPurge(PurgeRequest request) {
        List<SessionSummary> all = new ArrayList<>();
        Optional<SessionSummary> after = Optional.empty();
        while (true) {
            List<SessionSummary> page = operations.purgeCandidates(request.terminatedBefore(), after, PAGE);
            all.addAll(page);
            request.progress().advanced(all.size(), -1);
            if (page.size() < PAGE) {
                return all;
            }
            after = Optional.of(page.get(page.size() - 1));
        }
    }

    @Override
    public PurgeReport purge(PurgeRequest request) {
        long purged = 0;
        // Each batch is its own short transaction; the cut-off is fixed, so sessions terminated meanwhile
        // are younger than it and the loop ends.
        for (int n = operations.purgeBatch(request.terminatedBefore(), PURGE_BATCH); n > 0;
                n = operations.purgeBatch(request.terminatedBefore(), PURGE_BATCH)) {
            purged += n;
            // Per batch, so that a purge that fails halfway still counts what it removed.
            metrics.purged(n);
            request.progress().advanced(purged, -1);
        }
        return new PurgeReport(request.terminatedBefore(), purged);
    }

    @Override
    public ExportReport exportTo(Writer out, ExportRequest request) {
        Objects.requireNonNull(out, "out");
        long sessions = 0;
        long items = 0;
        Optional<PageCursor> after = Optional.empty();
        try {
            while (true) {
                List<SessionSummary> page = persistence.sessions().findPage(new PageRequest(request.statuses(),
                        Optional.empty(), Optional.empty(), after, PAGE));
                for (SessionSummary summary : page) {
                    // Newest first: once one is older than "since", all the rest are too.
                    if (request.since().isPresent() && summary.createdAt().isBefore(request.since().get())) {
                        out.flush();
                        return new ExportReport(sessions, items);
                    }
                    long written = writeSession(out, summary.id());
                    if (written >= 0) {
                        sessions++;
                        items += written;
                        request.progress().advanced(sessions, -1);
                    }
                }
                if (page.size() < PAGE) {
                    out.flush();
                    return new ExportReport(sessions, items);
                }
                after = Optional.of(PageCursor.after(page.get(page.size() - 1)));
            }
        } catch (IOException e) {
            throw new StorageException(StorageException.Reason.IO, null, "writing the export failed: " + e.getMessage(), e);
        }
    }

    /** One session's line, or -1 when it was deleted before it could be read. */
    private long writeSession(Writer out, SessionId id) throws IOException {
        var archive = operations.archive(id);
        if (archive.isEmpty()) {
            return -1;
        }
        return writeLine(out, archive.get().session().id(), archive.get());
    }

    private long writeLine(Writer out, SessionId id, SessionArchive archive)
            throws IOException {
        long last = archive.transcriptLastSeq();
        return format.write(out, archive, seq -> {
            try {
                // Only the items that existed when the archive was read: its counters must cover them.
                return persistence.transcripts().after(id, seq, PAGE).stream().filter(i -> i.seq() <= last).toList();
            } catch (SessionNotFoundException deletedMeanwhile) {
                return List.<TranscriptItem>of();
            }
        });
    }

    @Override
    public ImportReport importFrom(Reader in, Progress progress) {
        return importer.run(Objects.requireNonNull(in, "in"), Objects.requireNonNull(progress, "progress"));
    }

    @Override
    public void backup(Path target) {
        operations.backup(Objects.requireNonNull(target, "target").toAbsolutePath().normalize());
    }
}
