package io.claudesignal.sessions.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.MessagesConfig;
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
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.ApprovalConflictException;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        assertThat(v2).startsWith("{\"format\":\"claude-signal-sessions/3\"")
                .contains("\"context\":\"{ \\\"n\\\": 1.50 }\"")
                .contains("\"details\":\"{\\\"f\\\":-0.0}\"")
                .contains("\"item\":\"{\\\"role\\\":\\\"user\\\",\\\"text\\\":\\\"hi  there\\\", \\\"n\\\": 1.50}\"");
        // A version-1 line with a string where it had objects, or the reverse, is refused.
        assertThatThrownBy(() -> maintenance().importFrom(new StringReader(
                v2.replace("claude-signal-sessions/3", "claude-signal-sessions/1")), Progress.NONE))
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

    @Test
    void approvalsMessagesAndRepliesComeBackAndTheStoreGoesOnWithThem() {
        SessionService cli = cli();
        Session s = cli.activate(cli.create("/home/ana/code/webapp", "+15551234567").id());
        String ask = "{\"tool\": \"Bash\",\n \"n\": 1.50, \"s\": \"caf\\u00e9\"}\n";
        Approval approved = cli.approvals().request(s.id(), ask, "t1");
        cli.approvals().decide(approved.id(), Approval.Decision.APPROVE, Actor.CLI, "fine\nby me");
        Approval rejected = cli.approvals().request(s.id(), "{\"tool\":\"rm\"}", "t2");
        cli.approvals().decide(rejected.id(), Approval.Decision.REJECT, Actor.CLI);
        Approval pending = cli.approvals().request(s.id(), "{\"tool\":\"Edit\"}", "t3", Duration.ofDays(2));
        for (int i = 1; i <= 3; i++) {
            cli.inbox().receive(s.id(), "{ \"text\": \"m" + i + "\" }", "k" + i);
        }
        cli.inbox().done(s.id(), cli.inbox().next(s.id()).orElseThrow().seq());
        assertThat(cli.inbox().next(s.id()).orElseThrow().seq()).as("left taken").isEqualTo(2);
        Reply sent = cli.outbox().enqueue(s.id(), "{\"r\": 1}", "r1");
        cli.outbox().enqueue(s.id(), "{\"r\": 2}", "r2");
        cli.outbox().enqueue(s.id(), "{\"r\": 3}", "r3");
        assertThat(cli.outbox().claim(10, LEASE)).extracting(Reply::key).containsExactly("r1");
        cli.outbox().sent(sent.id());
        assertThat(cli.outbox().claim(10, LEASE)).extracting(Reply::key).containsExactly("r2");
        cli.outbox().failed(cli.outbox().list(Optional.of(s.id()), false, 10).get(0).id(), "timed out");
        // A second session: a reply left claimed; a third: an approval its termination cancelled.
        Session other = cli.activate(cli.create("/home/ana/code/api", "+15551234567").id());
        cli.outbox().enqueue(other.id(), "{\"q\": 1}", "q1");
        assertThat(cli.outbox().claim(10, LEASE)).extracting(Reply::key).containsExactly("q1");
        Session ended = cli.activate(cli.create("/srv/x", "t").id());
        cli.approvals().request(ended.id(), "{}", "c1");
        cli.terminate(ended.id());
        Map<Session, List<Approval>> approvalsBefore = new java.util.LinkedHashMap<>();
        for (Session x : List.of(s, other, ended)) {
            approvalsBefore.put(x, cli.approvals().all(x.id()));
        }
        List<InboxMessage> inboxBefore = cli.inbox().list(s.id(), true, 100);

        String exported = export();
        assertThat(exported.lines()).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("{\"format\":\"claude-signal-sessions/3\""));
        assertThat(exported).contains("\"request\":" + quoted(ask)).contains("\"note\":\"fine\\nby me\"")
                .contains("\"state\":\"TAKEN\"").contains("\"state\":\"CLAIMED\"").contains("\"lastError\":\"timed out\"")
                .contains("\"state\":\"CANCELLED\"");
        emptyTheStore();
        ImportReport report = maintenance().importFrom(new StringReader(exported), Progress.NONE);
        assertThat(report.imported()).isEqualTo(3);

        // What a daemon or sender of the exported store held, nobody here holds: waiting, due again.
        String released = export();
        assertThat(released).isEqualTo(exported.replace("\"state\":\"TAKEN\"", "\"state\":\"WAITING\"")
                .replaceFirst("\"state\":\"CLAIMED\",\"attempts\":0,\"dueAt\":\"[^\"]+\",\"lastError\":null,"
                        + "\"queuedAt\":\"([^\"]+)\"", "\"state\":\"PENDING\",\"attempts\":0,\"dueAt\":\"$1\","
                        + "\"lastError\":null,\"queuedAt\":\"$1\""));
        assertThat(maintenance().importFrom(new StringReader(released), Progress.NONE).unchanged()).isEqualTo(3);
        for (Map.Entry<Session, List<Approval>> e : approvalsBefore.entrySet()) {
            assertThat(cli.approvals().all(e.getKey().id())).as("approvals, ids and all").isEqualTo(e.getValue());
        }
        assertThat(cli.inbox().list(s.id(), true, 100)).isEqualTo(inboxBefore.stream()
                .map(m -> m.state() == InboxMessage.State.TAKEN ? m.withState(InboxMessage.State.WAITING) : m).toList());

        // The store goes on: numbering continues after the imported ones, keys are still known.
        assertThat(cli.approvals().decide(pending.id(), Approval.Decision.APPROVE, Actor.CLI).state())
                .isEqualTo(Approval.State.APPROVED);
        assertThat(cli.approvals().request(s.id(), "{}", "t1").id()).isEqualTo(approved.id());
        assertThat(cli.approvals().request(s.id(), "{}", "t4").seq()).isEqualTo(4);
        assertThat(cli.inbox().next(s.id()).orElseThrow().seq()).as("the message taken before").isEqualTo(2);
        assertThat(cli.inbox().receive(s.id(), "{}", "k1").seq()).isEqualTo(1);
        assertThat(cli.inbox().receive(s.id(), "{}", "k4").seq()).isEqualTo(4);
        List<Reply> claimed = cli.outbox().claim(10, LEASE);
        assertThat(claimed).extracting(Reply::key).as("q1 due again; r3 behind r2's backoff").contains("q1")
                .doesNotContain("r1", "r3");
        Reply q1 = claimed.stream().filter(r -> r.key().equals("q1")).findFirst().orElseThrow();
        assertThat(cli.outbox().sent(q1.id()).state()).isEqualTo(Reply.State.SENT);
        assertThat(cli.outbox().enqueue(s.id(), "{}", "r1").state()).as("its key known").isEqualTo(Reply.State.SENT);
        Reply r4 = cli.outbox().enqueue(s.id(), "{}", "r4");
        assertThat(cli.outbox().list(Optional.empty(), false, 10)).extracting(Reply::key).containsExactly("r2", "r3", "r4");
        assertThat(r4.id()).isGreaterThan(q1.id());
    }

    @Test
    void aDeadReplyAndAnExpiredApprovalComeBackAsTheyRead() {
        SessionService cli = cli();
        Session s = cli.activate(cli.create("/home/ana/code/webapp", "+15551234567").id());
        Reply queued = cli.outbox().enqueue(s.id(), "{\"r\": 1}", "r1");
        for (int i = 1; i <= MessagesConfig.DEFAULT_REPLY_ATTEMPTS; i++) {
            advance(MessagesConfig.DEFAULT_MAX_BACKOFF);
            assertThat(cli.outbox().claim(1, LEASE)).extracting(Reply::id).containsExactly(queued.id());
            cli.outbox().failed(queued.id(), "attempt " + i + ": 413");
        }
        Reply dead = cli.outbox().find(queued.id()).orElseThrow();
        assertThat(dead.state()).isEqualTo(Reply.State.DEAD);
        // One approval left PENDING past its deadline in an ACTIVE session; one whose session left ACTIVE after it.
        Approval stillStored = cli.approvals().request(s.id(), "{\"tool\":\"Bash\"}", "t1", Duration.ofMinutes(10));
        Session paused = cli.activate(cli.create("/home/ana/code/api", "+15551234567").id());
        Approval expiredThenPaused = cli.approvals().request(paused.id(), "{}", "t2", Duration.ofMinutes(10));
        advance(Duration.ofMinutes(11));
        cli.pause(paused.id());
        List<Approval> before = List.of(cli.approvals().find(stillStored.id()).orElseThrow(),
                cli.approvals().find(expiredThenPaused.id()).orElseThrow());
        assertThat(before).extracting(Approval::state).containsOnly(Approval.State.EXPIRED);

        String exported = export();
        assertThat(line(s)).as("stored as it was: PENDING, read as EXPIRED").contains("\"state\":\"PENDING\"")
                .contains("\"state\":\"DEAD\",\"attempts\":" + MessagesConfig.DEFAULT_REPLY_ATTEMPTS);
        emptyTheStore();
        assertThat(maintenance().importFrom(new StringReader(exported), Progress.NONE).imported()).isEqualTo(2);
        assertThat(export()).as("export -> import -> export").isEqualTo(exported);

        Reply back = cli.outbox().list(Optional.of(s.id()), true, 10).get(0);
        assertThat(back).as("state, attempts, due time, error; the id is the new store's")
                .usingRecursiveComparison().ignoringFields("id").isEqualTo(dead);
        assertThat(cli.outbox().claim(10, LEASE)).as("dead: sent only when retried").isEmpty();
        assertThat(cli.outbox().retry(back.id()).attempts()).isZero();
        assertThat(List.of(cli.approvals().find(stillStored.id()).orElseThrow(),
                cli.approvals().find(expiredThenPaused.id()).orElseThrow())).as("state, deadline, decision")
                .isEqualTo(before);
        assertThat(cli.approvals().pending()).isEmpty();
        assertThatThrownBy(() -> cli.approvals().decide(stillStored.id(), Approval.Decision.APPROVE, Actor.CLI))
                .isInstanceOfSatisfying(ApprovalConflictException.class,
                        e -> assertThat(e.getMessage()).contains("EXPIRED"));
    }

    @Test
    void aLineOfTheSecondVersionImportsWithNothingInFlight() {
        String v2 = "{\"format\":\"claude-signal-sessions/2\",\"id\":\"33474483-b8da-4fdd-afe9-787b9e3f4e1c\","
                + "\"projectPath\":\"/tmp/p\",\"threadId\":\"t1\",\"status\":\"ACTIVE\","
                + "\"createdAt\":\"2026-11-30T05:20:45.389701Z\",\"updatedAt\":\"2026-11-30T05:20:58.383397Z\","
                + "\"version\":2,\"pinned\":false,\"forkedFrom\":null,\"context\":\"{}\","
                + "\"history\":[{\"from\":\"CREATED\",\"to\":\"ACTIVE\",\"at\":\"2026-11-30T05:20:58.383397Z\","
                + "\"reason\":\"user\",\"actor\":\"cli\"}],"
                + "\"activities\":{\"lastSeq\":0,\"acknowledgedSeq\":0,\"entries\":[]},"
                + "\"transcript\":{\"lastSeq\":0,\"items\":[]}}";
        assertThatThrownBy(() -> maintenance().importFrom(new StringReader(
                v2.replace("}}", "},\"approvals\":[],\"inbox\":[],\"outbox\":[]}")), Progress.NONE))
                .as("version 2 had no approvals").isInstanceOf(ImportLineException.class);
        assertThatThrownBy(() -> maintenance().importFrom(new StringReader(
                v2.replace("/2", "/3").replace("}}", "},\"approvals\":[],\"inbox\":[]}")), Progress.NONE))
                .as("version 3 has them all").isInstanceOf(ImportLineException.class);
        assertThat(maintenance().importFrom(new StringReader(v2 + "\n"), Progress.NONE).imported()).isEqualTo(1);
        String v3 = export();
        assertThat(v3).isEqualTo(v2.replace("/2", "/3").replace("}}", "},\"approvals\":[],\"inbox\":[],\"outbox\":[]}")
                + "\n");
        SessionService cli = cli();
        SessionId id = SessionId.parse("33474483-b8da-4fdd-afe9-787b9e3f4e1c");
        assertThat(cli.approvals().request(id, "{}", "a").seq()).isEqualTo(1);
        assertThat(cli.inbox().receive(id, "{}", "m").seq()).isEqualTo(1);
        assertThat(cli.outbox().enqueue(id, "{}", "r").state()).isEqualTo(Reply.State.PENDING);
    }

    @Test
    void inFlightRowsTheApiCouldNotHaveWrittenAreRefusedNamingTheirField() {
        SessionService cli = cli();
        Session s = cli.activate(cli.create("/home/ana/code/webapp", "+15551234567").id());
        Approval a = cli.approvals().request(s.id(), "{}", "t1");
        cli.inbox().receive(s.id(), "{}", "k1");
        cli.outbox().enqueue(s.id(), "{}", "r1");
        String good = line(s);
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put(good.replace("\"seq\":1,\"key\":\"t1\"", "\"seq\":2,\"key\":\"t1\""), "approvals.seq");
        refused.put(good.replace("\"key\":\"t1\"", "\"key\":\"\""), "approvals.key");
        refused.put(good.replace("\"state\":\"PENDING\",\"requestedBy\"", "\"state\":\"APPROVED\",\"requestedBy\""),
                "approvals.state");
        refused.put(good.replace("\"request\":\"{}\"", "\"request\":\"[1]\""), "approvals.request");
        refused.put(good.replace("\"state\":\"PENDING\",\"requestedBy\"", "\"state\":\"LATER\",\"requestedBy\""),
                "approvals.state");
        refused.put(good.replace("\"note\":null", "\"note\":\"a\\u0001b\""), "approvals.note");
        refused.put(good.replace("\"seq\":1,\"key\":\"k1\"", "\"seq\":3,\"key\":\"k1\""), "inbox.seq");
        refused.put(good.replace("\"message\":\"{}\"", "\"message\":\"{\""), "inbox.message");
        refused.put(good.replace("\"attempts\":0", "\"attempts\":1001"), "outbox.attempts");
        refused.put(good.replace("\"lastError\":null", "\"lastError\":\" two\\nlines\""), "outbox.lastError");
        refused.put(good.replace("\"outbox\":[{", "\"outbox\":[{\"key\":\"r1\",\"state\":\"SENT\",\"attempts\":0,"
                + "\"dueAt\":\"2026-11-30T05:20:58.383397Z\",\"lastError\":null,\"queuedAt\":\"2026-11-30T05:20:58.383397Z\","
                + "\"reply\":\"{}\"},{"), "outbox.key");
        // Another session holding the approval's id: only the store can tell, in the import's transaction.
        refused.put(good.replace(s.id().toString(), SessionId.random().toString()), "approvals.id");
        long sessionsBefore = maintenance().sizes().sessions();
        for (Map.Entry<String, String> bad : refused.entrySet()) {
            assertThat(bad.getKey()).as("the test changed the line").isNotEqualTo(good);
            assertThatThrownBy(() -> maintenance().importFrom(new StringReader("\n" + bad.getKey()), Progress.NONE))
                    .as(bad.getValue() + ": " + bad.getKey())
                    .isInstanceOfSatisfying(ImportLineException.class, e -> {
                        assertThat(e.line()).isEqualTo(2);
                        assertThat(e.field()).contains(bad.getValue());
                        assertThat(e.getMessage()).startsWith("line 2: " + bad.getValue() + ": ")
                                .doesNotContain(": key: ", ": note: ");
                    });
            assertThat(maintenance().sizes().sessions()).as("nothing of it written").isEqualTo(sessionsBefore);
        }
        assertThat(cli.approvals().find(a.id()).orElseThrow().sessionId()).isEqualTo(s.id());
    }

    private static String quoted(String text) {
        StringWriter out = new StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out)) {
            g.writeString(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
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
