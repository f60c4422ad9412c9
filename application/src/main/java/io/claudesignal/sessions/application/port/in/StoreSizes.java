package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.SessionStatus;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * How big the store is: sessions by status (every status present, zero when none), transcript items,
 * and the bytes on disk when the store is a file (the database with its -wal).
 */
public record StoreSizes(Map<SessionStatus, Long> sessionsByStatus, long transcriptItems, OptionalLong fileBytes) {

    public StoreSizes {
        Map<SessionStatus, Long> all = new EnumMap<>(SessionStatus.class);
        for (SessionStatus status : SessionStatus.values()) {
            all.put(status, sessionsByStatus.getOrDefault(status, 0L));
        }
        sessionsByStatus = Collections.unmodifiableMap(all); // in the statuses' order
    }

    public long sessions() {
        return sessionsByStatus.values().stream().mapToLong(Long::longValue).sum();
    }
}
