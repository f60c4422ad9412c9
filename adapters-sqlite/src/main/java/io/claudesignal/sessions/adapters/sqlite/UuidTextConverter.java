package io.claudesignal.sessions.adapters.sqlite;

import java.util.UUID;
import org.jooq.impl.AbstractConverter;

/** Ids are stored as canonical lowercase UUID text: readable with the sqlite3 shell, and what the reference wrote. */
public final class UuidTextConverter extends AbstractConverter<String, UUID> {

    public UuidTextConverter() {
        super(String.class, UUID.class);
    }

    @Override
    public UUID from(String text) {
        return text == null ? null : UUID.fromString(text);
    }

    @Override
    public String to(UUID uuid) {
        return uuid == null ? null : uuid.toString();
    }
}
