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
        if (text == null) {
            return null;
        }
        Instant fast = parseFixedWidth(text);
        return fast != null ? fast : Instant.from(FORMAT.parse(text));
    }

    /**
     * The stored form read digit by digit: every read of a session parses two timestamps, and
     * {@link DateTimeFormatter} was a sixth of a {@code get} in the benchmarks. Anything not exactly
     * in the stored form (or not a valid date) returns null and goes through the formatter.
     */
    private static Instant parseFixedWidth(String t) {
        if (t.length() != 27 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':' || t.charAt(19) != '.' || t.charAt(26) != 'Z') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        int micros = digits(t, 20, 26);
        if ((year | month | day | hour | minute | second | micros) < 0 || month < 1 || month > 12 || day < 1
                || hour > 23 || minute > 59 || second > 59 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, micros * 1_000L);
    }

    /** The decimal number in {@code t[from, to)}, or -1 when a character is not a digit. */
    private static int digits(String t, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    @Override
    public String to(Instant instant) {
        return instant == null ? null : FORMAT.format(instant.truncatedTo(ChronoUnit.MICROS));
    }
}
