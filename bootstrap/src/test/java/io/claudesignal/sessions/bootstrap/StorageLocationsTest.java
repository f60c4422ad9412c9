package io.claudesignal.sessions.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.adapters.inmemory.InMemoryStorage;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SessionStore#open(String, SessionsConfig)} and its kin: the adapter found by location, not named. */
class StorageLocationsTest {

    @TempDir
    Path dir;

    @Test
    void aFilePathOpensSqliteAndASecondStoreSeesWhatTheFirstWrote() {
        String file = dir.resolve("sessions.db").toString();
        Session created;
        try (SessionStore store = SessionStore.open(file, SessionsConfig.cli())) {
            created = store.sessions().create("/home/ana/code/webapp", "+15551234567");
        }
        try (SessionStore store = SessionStore.open(file, Map.of("allowForeignOwner", "true"), SessionsConfig.cli())) {
            assertThat(store.sessions().get(created.id())).isEqualTo(created);
        }
    }

    @Test
    void eachLocationGoesToItsAdapterWithoutOpeningAnything() {
        assertThat(StorageLocations.factoryFor("/var/lib/sessions.db").name()).isEqualTo("sqlite");
        assertThat(StorageLocations.factoryFor("relative/sessions.db").name()).isEqualTo("sqlite");
        for (String url : new String[] {"jdbc:postgresql://db:5432/s?user=u", "postgresql://u@db/s", "postgres://db/s"}) {
            assertThat(StorageLocations.factoryFor(url).name()).as(url).isEqualTo("postgresql");
        }
    }

    @Test
    void aLocationNoAdapterRecognisesIsInvalidInputNamingItWithoutItsPassword() {
        assertThatThrownBy(() -> SessionStore.open("mysql://ana:secret@db/sessions", SessionsConfig.cli()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("mysql://ana:***@db/sessions")
                .hasMessageContaining("sqlite, postgresql")
                .hasMessageNotContaining("secret");
    }

    @Test
    void aSettingTheAdapterDoesNotKnowIsRefusedBeforeAnythingIsOpened() {
        Path file = dir.resolve("never.db");
        assertThatThrownBy(() -> SessionStore.open(file.toString(), Map.of("allowForeignOwnr", "true"), SessionsConfig.cli()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("allowForeignOwnr").hasMessageContaining("allowForeignOwner");
        assertThatThrownBy(() -> SessionStore.open(file.toString(), Map.of("allowForeignOwner", "yes"), SessionsConfig.cli()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("true or false");
        assertThatThrownBy(() -> SessionStore.open("postgresql://u@db/s", Map.of("allowForeignOwner", "true"),
                SessionsConfig.cli())).isInstanceOf(InvalidInputException.class).hasMessageContaining("takes none");
        assertThat(file).doesNotExist();
    }

    @Test
    void theStoreOwnsTheAdapterItWasGivenAndClosesIt() {
        InMemoryStorage storage = new InMemoryStorage();
        InMemoryStorage.Handle handle = storage.open();
        try (SessionStore store = SessionStore.open(handle, SessionsConfig.daemon("webapp"))) {
            store.sessions().create("/home/ana/code/webapp", "+15551234567");
        }
        assertThat(handle.isClosed()).isTrue();

        InMemoryStorage.Handle refused = storage.open();
        assertThatThrownBy(() -> SessionStore.open(refused, null)).isInstanceOf(NullPointerException.class);
        assertThat(refused.isClosed()).as("closed when the store could not be made").isTrue();
    }

    @Test
    void guiceOpensALocationThroughTheSameFactories() {
        String file = dir.resolve("guice.db").toString();
        var injector = SessionStore.createInjector(new ApplicationModule(), StorageModule.at(file, Map.of()));
        try (SessionStore store = injector.getInstance(SessionStore.class)) {
            Sessions sessions = injector.getInstance(Sessions.class);
            Session created = sessions.create("/home/ana/code/webapp", "+15551234567");
            assertThat(store.sessions().get(created.id())).isEqualTo(created);
        }
    }
}
