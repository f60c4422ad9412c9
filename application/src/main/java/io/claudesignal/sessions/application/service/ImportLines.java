package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.application.port.in.ImportLineException;
import io.claudesignal.sessions.application.port.in.ImportReport;
import io.claudesignal.sessions.application.port.in.Progress;
import io.claudesignal.sessions.domain.DuplicateSessionException;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.application.port.out.SessionArchive;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionsException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The import side of {@link ExportFormat}: line by line, one transaction per session. */
final class ImportLines {

    /** How the store's copy of a session is written, to compare it with a line's. */
    @FunctionalInterface
    interface LineWriter {
        long write(Writer out, SessionId id, SessionArchive archive) throws IOException;
    }

    private final ExportFormat format;
    private final StoreOperations operations;
    private final ImportChecks checks;
    private final LineWriter stored;
    private final StoreMetrics metrics;

    ImportLines(ExportFormat format, StoreOperations operations, ContextJson json, LineWriter stored,
            StoreMetrics metrics) {
        this.format = format;
        this.operations = operations;
        this.checks = new ImportChecks(json, operations);
        this.stored = stored;
        this.metrics = metrics;
    }

    ImportReport run(Reader in, Progress progress) {
        long lines = 0;
        long imported = 0;
        long unchanged = 0;
        List<SessionId> conflicts = new ArrayList<>();
        BufferedReader reader = in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16);
        try {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines++;
                if (line.isBlank()) {
                    continue;
                }
                ExportFormat.Parsed parsed = parse(line, lines, imported);
                try {
                    operations.restore(parsed.archive(), parsed.items());
                    imported++;
                    // Per session: an import refused at a later line still counts what it wrote.
                    metrics.imported(1);
                } catch (InvalidInputException clash) {
                    // What only the store can tell, in the restore's transaction: an approval id in use.
                    throw new ImportLineException(lines, imported, clash.field(), clash.getMessage(), clash);
                } catch (DuplicateSessionException exists) {
                    if (sameAsStored(parsed)) {
                        unchanged++;
                    } else {
                        conflicts.add(parsed.archive().session().id());
                    }
                }
                progress.advanced(lines, -1);
            }
        } catch (CharacterCodingException e) {
            throw new ImportLineException(lines + 1, imported, "not valid UTF-8", e);
        } catch (IOException e) {
            throw new StorageException(StorageException.Reason.IO, null,
                    "reading the import failed after line " + lines + ": " + e.getMessage(), e);
        }
        return new ImportReport(lines, imported, unchanged, conflicts);
    }

    /** The line as a session, checked as the store would check each part when written by the API. */
    private ExportFormat.Parsed parse(String line, long number, long imported) {
        try {
            ExportFormat.Parsed parsed = format.read(line);
            checks.check(parsed);
            return released(parsed);
        } catch (IOException | IllegalArgumentException | SessionsException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            // The field refused, when the check knew it: the message names it too.
            String field = e instanceof InvalidInputException invalid ? invalid.field() : null;
            throw new ImportLineException(number, imported, field, reason, e);
        }
    }

    /**
     * The line as this store takes it: a message TAKEN by a daemon waits again, and a reply CLAIMED by a
     * sender is PENDING and due at once (due since it was queued: the claim's end, which its due time
     * held, belongs to a sender of the exported store). The daemon or sender that held them runs against
     * that store, not this one: nobody here would ever finish them (a recovery does the same for a
     * daemon that died). Done here, once, so that every store restores alike.
     */
    private static ExportFormat.Parsed released(ExportFormat.Parsed parsed) {
        SessionArchive a = parsed.archive();
        List<InboxMessage> inbox = a.inbox().stream()
                .map(m -> m.state() == InboxMessage.State.TAKEN ? m.withState(InboxMessage.State.WAITING) : m).toList();
        List<Reply> outbox = a.outbox().stream()
                .map(r -> r.state() != Reply.State.CLAIMED ? r : new Reply(r.id(), r.sessionId(), r.json(), r.key(),
                        Reply.State.PENDING, r.attempts(), r.queuedAt(), r.lastError(), r.queuedAt()))
                .toList();
        return new ExportFormat.Parsed(new SessionArchive(a.session(), a.history(), a.activityLastSeq(),
                a.acknowledgedSeq(), a.activities(), a.transcriptLastSeq(), a.approvals(), inbox, outbox), parsed.items());
    }

    /** Whether the stored session is the line's, compared as the export writes both. */
    private boolean sameAsStored(ExportFormat.Parsed parsed) throws IOException {
        Optional<SessionArchive> current = operations.archive(parsed.archive().session().id());
        if (current.isEmpty()) {
            return false;
        }
        StringWriter theirs = new StringWriter();
        format.write(theirs, parsed.archive(), seq -> parsed.items().stream().filter(i -> i.seq() > seq).toList());
        StringWriter ours = new StringWriter();
        stored.write(ours, current.get().session().id(), current.get());
        return theirs.toString().equals(ours.toString());
    }
}
