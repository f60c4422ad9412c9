package io.claudesignal.sessions.adapters.sqlite;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.jooq.impl.AbstractConverter;

/**
 * Timestamps are stored as fixed-width UTC text, {@code 2026-01-26T01:58:12.123456Z}: equal widths make
 * text order time order, so indexes and {@code max()} work on them, and microseconds are what every
 * store (and the reference's Python) keeps exactly.
 */
public final class InstantTextConverter extends AbstractConverter<String, Instant> {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    public InstantTextConverter() {
        super(String.class, Instant.class);
    }

    @Override
    public Instant from(String text) {
        return text == null ? null : Instant.from(FORMAT.parse(text));
    }

    @Override
    public String to(Instant instant) {
        return instant == null ? null : FORMAT.format(instant.truncatedTo(ChronoUnit.MICROS));
    }
}
