package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the real CLI in this JVM with captured streams, and checks what it printed. */
final class CliHarness {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> SESSION_FIELDS =
            List.of("id", "projectPath", "threadId", "status", "context", "createdAt", "updatedAt", "version", "pinned");
    static final List<String> SUMMARY_FIELDS =
            List.of("id", "projectPath", "threadId", "status", "createdAt", "updatedAt", "version", "pinned");

    record Result(int code, String out, String err) {

        JsonNode json() {
            assertThat(out).as("stdout").endsWith("\n");
            assertThat(out.lines().count()).as("one JSON document, one line: " + out).isEqualTo(1);
            return parse(out);
        }

        JsonNode errorJson() {
            assertThat(err.lines().count()).as("one line on stderr: " + err).isEqualTo(1);
            return parse(err);
        }

        /** Exit code {@code code}, nothing on stdout, exactly one line on stderr. */
        Result failsWith(int expected) {
            assertThat(code).as("exit code; stderr: " + err).isEqualTo(expected);
            assertThat(out).as("stdout").isEmpty();
            assertThat(err).as("stderr").endsWith("\n");
            assertThat(err.lines().count()).as("stderr is one line: " + err).isEqualTo(1);
            return this;
        }

        /** As {@link #failsWith(int)}, and the line is the readable {@code sessions: ...} kind. */
        Result failsReadably(int expected) {
            failsWith(expected);
            assertThat(err).startsWith("sessions: ").doesNotContain("\tat ");
            return this;
        }

        Result succeeds() {
            assertThat(code).as("exit code; stderr: " + err).isZero();
            assertThat(err).as("stderr").isEmpty();
            return this;
        }
    }

    private final StoreOpener opener;
    private Map<String, String> env = Map.of();

    CliHarness(StoreOpener opener) {
        this.opener = opener;
    }

    CliHarness env(Map<String, String> environment) {
        this.env = environment;
        return this;
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    Result runWithInput(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = SessionsCli.run(args, in, o, e, env, opener);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Creates a session through the CLI and returns its id. */
    String create(String project, String thread) {
        return run("--json", "create", "--project", project, "--thread", thread).succeeds().json().get("id").asText();
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Exactly the fields of the contract, in order; an embedded context; UTC timestamps. */
    static void assertSession(JsonNode session) {
        assertThat(fieldNames(session)).containsExactlyElementsOf(SESSION_FIELDS);
        assertThat(session.get("context").isObject()).as("context is an object, not a string").isTrue();
        assertCommon(session);
    }

    static void assertSummary(JsonNode summary) {
        assertThat(fieldNames(summary)).containsExactlyElementsOf(SUMMARY_FIELDS);
        assertCommon(summary);
    }

    private static void assertCommon(JsonNode node) {
        for (String field : List.of("id", "projectPath", "threadId", "status", "createdAt", "updatedAt")) {
            assertThat(node.get(field).isTextual()).as(field + " is text").isTrue();
        }
        for (String at : List.of("createdAt", "updatedAt")) {
            String text = node.get(at).asText();
            assertThat(text).endsWith("Z");
            assertThat(Instant.parse(text).toString()).isEqualTo(text);
        }
        assertThat(node.get("version").isIntegralNumber()).isTrue();
    }
}
