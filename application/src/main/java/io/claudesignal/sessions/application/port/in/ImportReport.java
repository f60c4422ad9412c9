package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.SessionId;
import java.util.List;

/**
 * What an import did, line by line: sessions written, sessions already there with the same content
 * (left alone: importing a file twice changes nothing), and conflicts: sessions already there with
 * other content, which were not overwritten.
 */
public record ImportReport(long lines, long imported, long unchanged, List<SessionId> conflicts) {

    public ImportReport {
        conflicts = List.copyOf(conflicts);
    }
}
