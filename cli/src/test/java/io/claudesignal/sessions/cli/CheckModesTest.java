package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.bootstrap.SessionStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sessions check} and opening the store agree on modes: a directory the embedder made (0755) is
 * opened by the store and passes the check (its mode reported); a database file open to others fails it.
 */
class CheckModesTest {

    @Test
    void aDirectoryTheEmbedderMadeOpenPassesCheckAndAnOpenFileFailsIt(@TempDir Path dir) throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path db = shared.resolve("sessions.db");
        try (SessionStore store = SessionStore.openSqlite(db)) {
            store.sessions().create("/home/ana/code/webapp", "+15551234567");
        }

        String[] out = new String[2];
        assertThat(cli(out, "--db", db.toString(), "check")).as(out[0] + out[1]).isZero();
        assertThat(out[0]).contains("directory rwxr-xr-x").contains("database rw-------");
        assertThat(cli(out, "--db", db.toString(), "list")).as(out[1]).isZero();

        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(cli(out, "--db", db.toString(), "check")).as(out[0] + out[1]).isEqualTo(6);
        assertThat(out[1].lines()).hasSize(1);
        assertThat(out[1]).contains("file modes");
    }

    private static int cli(String[] outAndErr, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SessionsCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), SessionStore::openSqlite);
        outAndErr[0] = out.toString(StandardCharsets.UTF_8);
        outAndErr[1] = err.toString(StandardCharsets.UTF_8);
        return code;
    }
}
