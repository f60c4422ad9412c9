package io.claudesignal.sessions.application.port.in;

/** What an export wrote: one line per session, and the transcript items they held. */
public record ExportReport(long sessions, long transcriptItems) {
}
