package io.claudesignal.sessions.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.domain.InvalidInputException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The helpers every factory shares: what a URL is, settings refused by name, passwords kept out of messages. */
class StorageFactoryTest {

    @Test
    void aUrlHasASchemeOfTwoLettersOrMoreOrIsJdbc() {
        for (String url : new String[] {"postgresql://u@h/db", "postgres://h/db", "jdbc:postgresql://h/db",
                "JDBC:sqlite:/x.db", "mysql://h/db", "my+sql.v2-x://h"}) {
            assertThat(StorageFactory.isUrl(url)).as(url).isTrue();
        }
        for (String path : new String[] {"/var/lib/sessions.db", "sessions.db", "~/x.db", "C:/x.db", "C://x.db",
                "/tmp/postgresql://x", "./a://b", "", "1ab://x"}) {
            assertThat(StorageFactory.isUrl(path)).as(path).isFalse();
        }
        assertThat(StorageFactory.isUrl(null)).isFalse();
    }

    @Test
    void anUnknownSettingOrAMalformedFlagIsRefusedByName() {
        assertThatThrownBy(() -> StorageFactory.requireKnown(Map.of("readerz", "4"), Set.of("readers"), "sqlite"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("readerz").hasMessageContaining("readers");
        assertThat(StorageFactory.flag(Map.of("a", "TRUE"), "a", false)).isTrue();
        assertThat(StorageFactory.flag(Map.of(), "a", true)).isTrue();
        assertThatThrownBy(() -> StorageFactory.flag(Map.of("a", "1"), "a", false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("a:");
    }

    @Test
    void aPasswordNeverReachesAMessage() {
        assertThat(StorageFactory.redact("postgresql://ana:secret@db/s?password=other&user=ana"))
                .isEqualTo("postgresql://ana:***@db/s?password=***&user=ana");
    }
}
