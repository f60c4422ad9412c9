package io.claudesignal.sessions.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.ExportRequest;
import io.claudesignal.sessions.application.port.in.ImportLineException;
import io.claudesignal.sessions.application.port.in.ImportReport;
import io.claudesignal.sessions.application.port.in.Maintenance;
import io.claudesignal.sessions.application.port.in.Progress;
import io.claudesignal.sessions.application.port.in.PurgeRequest;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.MaintenanceService;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Export and import over hostile content ({@link HostileContent}): one physical line per session
 * whatever the items hold, export -> import -> export byte-identical with every item's bytes intact,
 * transcripts of several megabytes; and an import that refuses, naming the line and the field and
 * writing nothing of it, what the API could not have written.
 */
public abstract class ExportImportKit extends Kit {

    /** Items up to 1 MiB and contexts up to the default limit, as a real store takes them. */
    @Override
    protected SessionService service(Persistence handle, SessionIdGenerator ids, Actor actor) {
        return new SessionService(handle, clock, ids, new ContextJson(),
                new SessionsConfig(actor, LEASE, HEARTBEAT, ACTIVITY_LIMIT, HostileContent.LARGEST_ITEM));
    }

    private Maintenance maintenance() {
        return new MaintenanceService(List::of, operations(), persistence, new ContextJson());
    }

    private SessionService cli() {
        return service(persistence, SessionIdGenerator.random(), Actor.CLI);
    }

    @Test
    void hostileContentMakesOneLineASessionAndComesBackByteForByte() {
        SessionService cli = cli();
        List<Session> made = HostileContent.fill(cli, cli.transcripts());
        Map<Session, List<TranscriptItem>> before = new java.util.LinkedHashMap<>();
        for (Session s : made) {
            before.put(s, cli.transcripts().after(s.id(), 0, 1000));
        }
        String exported = export();
        assertThat(exported).endsWith("\n");
        assertThat(exported.split("\n", -1)).as("one physical line a session, then the end")
                .hasSize(made.size() + 1);
        assertThat(exported.length()).as("over 5 MB of transcript").isGreaterThan(5_000_000);

        emptyTheStore();
        ImportReport report = maintenance().importFrom(new StringReader(exported), Progress.NONE);
        assertThat(report.imported()).isEqualTo(made.size());
        assertThat(report.conflicts()).isEmpty();
        assertThat(export()).as("export -> import -> export").isEqualTo(exported);
        for (Map.Entry<Session, List<TranscriptItem>> e : before.entrySet()) {
            assertThat(cli.get(e.getKey().id())).isEqualTo(e.getKey());
            assertThat(cli.transcripts().after(e.getKey().id(), 0, 1000)).as("items, byte for byte")
                    .isEqualTo(e.getValue());
        }
        assertThat(maintenance().importFrom(new StringReader(exported), Progress.NONE).unchanged())
                .as("importing twice changes nothing").isEqualTo(made.size());
    }

    @Test
    void aTranscriptOfManyItemsOverAMegabyteImports() {
        // 600 items of 2 KB: one INSERT of them all was over SQLite's limit on a statement's length.
        SessionService cli = cli();
        Session s = cli.create("/home/ana/code/webapp", "+15551234567");
        String item = "{\"text\":\"" + "z".repeat(2048) + "\"}";
        for (int i = 0; i < 6; i++) {
            cli.transcripts().appendAll(s.id(), java.util.Collections.nCopies(100, item));
        }
        String exported = export();
        emptyTheStore();
        assertThat(maintenance().importFrom(new StringReader(exported), Progress.NONE).imported()).isEqualTo(1);
        assertThat(export()).isEqualTo(exported);
        assertThat(cli.transcripts().count(s.id())).isEqualTo(600);
    }

    @Test
    void aLineOfTheFirstVersionStillImports() {
        String v1 = "{\"format\":\"claude-signal-sessions/1\",\"id\":\"33474483-b8da-4fdd-afe9-787b9e3f4e1c\","
                + "\"projectPath\":\"/tmp/p\",\"threadId\":\"t1\",\"status\":\"TERMINATED\","
                + "\"createdAt\":\"2026-11-30T05:20:45.389701Z\",\"updatedAt\":\"2026-11-30T05:21:32.856589Z\","
                + "\"version\":3,\"pinned\":false,\"forkedFrom\":null,\"context\":{ \"n\": 1.50 },"
                + "\"history\":[{\"from\":\"CREATED\",\"to\":\"ACTIVE\",\"at\":\"2026-11-30T05:20:58.383397Z\","
                + "\"reason\":\"user\",\"actor\":\"cli\"},{\"from\":\"ACTIVE\",\"to\":\"TERMINATED\","
                + "\"at\":\"2026-11-30T05:21:32.856589Z\",\"reason\":\"user\",\"actor\":\"cli\"}],"
                + "\"activities\":{\"lastSeq\":1,\"acknowledgedSeq\":0,\"entries\":[{\"seq\":1,\"type\":\"edit\","
                + "\"at\":\"2026-11-30T05:21:00.000001Z\",\"details\":{\"f\":-0.0}}]},"
                + "\"transcript\":{\"lastSeq\":2,\"items\":[{\"seq\":1,\"key\":null,\"at\":\"2026-11-30T05:21:09.363684Z\","
                + "\"item\":{\"role\":\"user\",\"text\":\"hi  there\", \"n\": 1.50}}]}}\n";
        assertThat(maintenance().importFrom(new StringReader(v1), Progress.NONE).imported()).isEqualTo(1);
        String v2 = export();
        assertThat(v2).startsWith("{\"format\":\"claude-signal-sessions/2\"")
                .contains("\"context\":\"{ \\\"n\\\": 1.50 }\"")
                .contains("\"details\":\"{\\\"f\\\":-0.0}\"")
                .contains("\"item\":\"{\\\"role\\\":\\\"user\\\",\\\"text\\\":\\\"hi  there\\\", \\\"n\\\": 1.50}\"");
        // A version-1 line with a string where it had objects, or the reverse, is refused.
        assertThatThrownBy(() -> maintenance().importFrom(new StringReader(
                v2.replace("claude-signal-sessions/2", "claude-signal-sessions/1")), Progress.NONE))
                .isInstanceOf(ImportLineException.class);
    }

    @Test
    void aLineTheApiCouldNotHaveWrittenIsRefusedNamingItsField() {
        SessionService cli = cli();
        Session parent = cli.activate(cli.create("/home/ana/code/webapp", "+15551234567").id());
        cli.transcripts().append(parent.id(), "{\"a\":1}");
        Session fork = cli.fork(parent.id(), 1);
        String parentLine = line(parent);
        String forkLine = line(fork);
        Session ended = cli.terminate(cli.create("/srv/x", "t").id());
        String terminated = line(ended);
        String nil = "00000000-0000-0000-0000-000000000000";
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put(parentLine.replaceFirst("\"version\":\\d+", "\"version\":9223372036854775807"), "version");
        refused.put(parentLine.replaceFirst("\"version\":\\d+", "\"version\":9007199254740992"), "version");
        refused.put(parentLine.replaceFirst("\"version\":\\d+", "\"version\":0"), "version");
        refused.put(parentLine.replace("\"transcript\":{\"lastSeq\":1", "\"transcript\":{\"lastSeq\":-1"),
                "transcript.lastSeq");
        refused.put(terminated.replace("\"to\":\"TERMINATED\"", "\"to\":\"ACTIVE\""), "history");
        refused.put(terminated.replace("\"from\":\"CREATED\",\"to\":\"TERMINATED\"",
                "\"from\":\"TERMINATED\",\"to\":\"ACTIVE\"").replace("\"status\":\"TERMINATED\"", "\"status\":\"ACTIVE\""),
                "history");
        refused.put(parentLine.replaceFirst("\"history\":\\[.*?\\]", "\"history\":[]"), "history");
        refused.put(forkLine.replace("\"id\":\"" + parent.id() + "\"", "\"id\":\"" + fork.id() + "\""), "forkedFrom.id");
        refused.put(forkLine.replace("\"throughSeq\":1", "\"throughSeq\":2"), "forkedFrom.throughSeq");
        refused.put(terminated.replaceFirst("\"id\":\"[0-9a-f-]{36}\"", "\"id\":\"" + nil + "\""), "id");
        cli.delete(cli.terminate(fork.id()).id());
        cli.delete(ended.id());
        long sessionsBefore = maintenance().sizes().sessions();
        for (Map.Entry<String, String> bad : refused.entrySet()) {
            assertThat(bad.getKey()).as("the test changed the line").isNotIn(parentLine, forkLine, terminated);
            assertThatThrownBy(() -> maintenance().importFrom(new StringReader("\n\n" + bad.getKey()), Progress.NONE))
                    .as(bad.getValue() + ": " + bad.getKey())
                    .isInstanceOfSatisfying(ImportLineException.class, e -> {
                        assertThat(e.line()).isEqualTo(3);
                        assertThat(e.field()).contains(bad.getValue());
                        assertThat(e.getMessage()).startsWith("line 3: " + bad.getValue());
                    });
            assertThat(maintenance().sizes().sessions()).as("nothing of it written").isEqualTo(sessionsBefore);
        }
        // The fork whose parent is here and the terminated session, unchanged, import.
        assertThat(maintenance().importFrom(new StringReader(forkLine + terminated), Progress.NONE).imported())
                .isEqualTo(2);
    }

    private String line(Session s) {
        return export().lines().filter(l -> l.contains("\"id\":\"" + s.id() + "\",\"projectPath\""))
                .findFirst().orElseThrow() + "\n";
    }

    private String export() {
        StringWriter out = new StringWriter();
        maintenance().exportTo(out, ExportRequest.all());
        return out.toString();
    }

    private void emptyTheStore() {
        for (SessionSummary s : sessions.list(SessionQuery.all()).sessions()) {
            maintenance().unpin(s.id());
            if (s.status() != SessionStatus.TERMINATED) {
                sessions.terminate(s.id());
            }
        }
        advance(Duration.ofSeconds(1));
        maintenance().purge(new PurgeRequest(clock.instant()));
        assertThat(maintenance().sizes().sessions()).isZero();
    }
}
