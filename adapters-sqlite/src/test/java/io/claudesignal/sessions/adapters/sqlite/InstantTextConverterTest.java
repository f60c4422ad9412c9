package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stored timestamp form, read by the fast path, means exactly what the formatter reads. */
class InstantTextConverterTest {

    private final InstantTextConverter converter = new InstantTextConverter();

    @Test
    void readsBackWhatItWrites() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE), random.nextInt(1_000_000_000))
                    .truncatedTo(ChronoUnit.MICROS);
            assertThat(converter.from(converter.to(instant))).isEqualTo(instant);
        }
        for (String text : new String[] {"1970-01-01T00:00:00.000000Z", "2024-02-29T23:59:59.999999Z",
                "2026-12-31T00:00:00.000001Z", "9999-12-31T23:59:59.999999Z"}) {
            assertThat(converter.to(converter.from(text))).isEqualTo(text);
        }
    }

    @Test
    void anythingElseIsLeftToTheFormatter() {
        // The formatter's SMART resolution, as before the fast path: a day past the month's end is its last day.
        assertThat(converter.from("2026-02-30T00:00:00.000000Z")).isEqualTo(Instant.parse("2026-02-28T00:00:00Z"));
        assertThat(converter.from("2026-01-01T24:00:00.000000Z")).isEqualTo(Instant.parse("2026-01-02T00:00:00Z"));
        assertThatThrownBy(() -> converter.from("2026-01-01T00:00:00.00000xZ")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> converter.from("2026-01-01 00:00:00.000000Z")).isInstanceOf(RuntimeException.class);
    }
}
