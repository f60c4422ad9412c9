package io.claudesignal.sessions.application.port.in;

import java.time.Instant;

/** What a purge did: how many sessions it deleted (with all they owned), and the cut-off it used. */
public record PurgeReport(Instant terminatedBefore, long purged) {
}
