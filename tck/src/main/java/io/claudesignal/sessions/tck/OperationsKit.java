package io.claudesignal.sessions.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.port.in.ExportRequest;
import io.claudesignal.sessions.application.port.in.ImportLineException;
import io.claudesignal.sessions.application.port.in.ImportReport;
import io.claudesignal.sessions.application.port.in.Maintenance;
import io.claudesignal.sessions.application.port.in.Progress;
import io.claudesignal.sessions.application.port.in.PurgeRequest;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.service.MaintenanceService;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Operating a store: pinning, retention (purge) and moving sessions out and in (export, import). The
 * purge rules (only TERMINATED, never pinned, everything a session owns goes with it, racing purges
 * count each session once) and the export format's round trip hold on every adapter.
 */
public abstract class OperationsKit extends Kit {

    private Maintenance maintenance(Persistence handle, StoreOperations operations) {
        return new MaintenanceService(List::of, operations, handle, new ContextJson(MAX_CONTEXT_BYTES, MAX_DEPTH));
    }

    private Maintenance maintenance() {
        return maintenance(persistence, operations());
    }

    private Transcripts transcripts() {
        return service(persistence, SessionIdGenerator.random(), Actor.CLI).transcripts();
    }

    @Test
    void pinningKeepsVersionAndUpdatedAtAndShowsEverywhere() {
        Session s = sessions.activate(newSession().id());
        Session pinned = maintenance().pin(s.id());
        assertThat(pinned.pinned()).isTrue();
        assertThat(pinned.version()).isEqualTo(s.version());
        assertThat(pinned.updatedAt()).isEqualTo(s.updatedAt());
        assertThat(sessions.find(s.id()).orElseThrow().pinned()).isTrue();
        assertThat(sessions.list(io.claudesignal.sessions.application.port.in.SessionQuery.all()).sessions())
                .singleElement().extracting(SessionSummary::pinned).isEqualTo(true);
        // Later changes keep the flag: it is not part of what a status change or a patch writes.
        assertThat(sessions.mergeContext(s.id(), "{\"a\":1}").pinned()).isTrue();
        assertThat(sessions.terminate(s.id()).pinned()).isTrue();
        assertThat(maintenance().unpin(s.id()).pinned()).isFalse();
        assertThat(sessions.find(s.id()).orElseThrow().pinned()).isFalse();
    }

    @Test
    void pinningAnUnknownSessionIsNotFound() {
        SessionId missing = SessionId.random();
        assertThatThrownBy(() -> maintenance().pin(missing)).isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> maintenance().unpin(missing)).isInstanceOf(SessionNotFoundException.class);
    }

    @Test
    void purgeTakesOnlyOldUnpinnedTerminatedSessionsWithAllTheyOwn() {
        Session old = sessions.activate(newSession().id());
        sessions.appendActivity(old.id(), "edit", "{\"file\":\"a.txt\"}");
        transcripts().append(old.id(), "{\"role\":\"user\"}", "k1");
        sessions.terminate(old.id());
        Session oldPinned = sessionIn(SessionStatus.TERMINATED);
        maintenance().pin(oldPinned.id());
        Session oldPaused = sessionIn(SessionStatus.PAUSED);
        Session oldCreated = sessionIn(SessionStatus.CREATED);
        advance(Duration.ofDays(31));
        Instant cutoff = clock.instant().minus(Duration.ofDays(30));
        Session young = sessionIn(SessionStatus.TERMINATED);

        List<SessionSummary> preview = maintenance().previewPurge(new PurgeRequest(cutoff));
        assertThat(preview).extracting(SessionSummary::id).containsExactly(old.id());
        assertThat(sessions.find(old.id())).as("a preview changes nothing").isPresent();

        assertThat(maintenance().purge(new PurgeRequest(cutoff)).purged()).isEqualTo(1);
        assertThat(sessions.find(old.id())).isEmpty();
        assertThatThrownBy(() -> sessions.history(old.id())).isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> sessions.activities(old.id())).isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> transcripts().count(old.id())).isInstanceOf(SessionNotFoundException.class);
        for (Session kept : List.of(oldPinned, oldPaused, oldCreated, young)) {
            assertThat(sessions.find(kept.id())).as("kept: " + kept.status()).isPresent();
        }
        assertThat(maintenance().purge(new PurgeRequest(cutoff)).purged()).as("nothing left to purge").isZero();
        assertThat(maintenance().sizes().sessions()).isEqualTo(4);
        assertThat(maintenance().sizes().transcriptItems()).isZero();
    }

    @Test
    void purgeWorksInBatchesAndReportsProgress() {
        int n = 130;
        for (int i = 0; i < n; i++) {
            Session s = sessionIn(SessionStatus.TERMINATED);
            transcripts().append(s.id(), "{\"n\":" + i + "}");
        }
        List<Long> reported = new ArrayList<>();
        long purged = maintenance().purge(new PurgeRequest(clock.instant(), (done, total) -> reported.add(done))).purged();
        assertThat(purged).isEqualTo(n);
        assertThat(reported).hasSizeGreaterThan(1).isSorted().last().isEqualTo((long) n);
        assertThat(maintenance().sizes().sessions()).isZero();
    }

    @Test
    void purgesRacingCountEverySessionOnce() throws Exception {
        for (int round = 0; round < 3; round++) {
            int n = 120;
            for (int i = 0; i < n; i++) {
                sessionIn(SessionStatus.TERMINATED);
            }
            Instant cutoff = clock.instant();
            Maintenance first = maintenance();
            Maintenance second = maintenance(openSecondHandle(), secondOperations());
            AtomicLong total = new AtomicLong();
            List<Race.Outcome<Long>> outcomes = Race.run(4, racer -> () ->
                    total.addAndGet((racer % 2 == 0 ? first : second).purge(new PurgeRequest(cutoff)).purged()));
            assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).as("no purge failed").isNull());
            assertThat(total.get()).as("round " + round).isEqualTo(n);
            assertThat(maintenance().sizes().sessions()).isZero();
        }
    }

    @Test
    void exportThenImportIntoAnEmptyStoreGivesTheSameLines() {
        String before = richStoreExport();
        emptyTheStore();
        ImportReport report = maintenance().importFrom(new StringReader(before), Progress.NONE);
        assertThat(report.imported()).isEqualTo(before.lines().count());
        assertThat(report.conflicts()).isEmpty();
        assertThat(export(ExportRequest.all())).isEqualTo(before);
    }

    @Test
    void importingTwiceChangesNothingAndAChangedSessionIsAConflict() {
        String exported = richStoreExport();
        long lines = exported.lines().count();
        ImportReport again = maintenance().importFrom(new StringReader(exported), Progress.NONE);
        assertThat(again.imported()).isZero();
        assertThat(again.unchanged()).isEqualTo(lines);
        assertThat(export(ExportRequest.all())).isEqualTo(exported);

        SessionId changed = SessionId.parse(json(exported.lines().findFirst().orElseThrow()).get("id").asText());
        Session local = sessions.mergeContext(changed, "{\"local\":\"edit\"}");
        ImportReport conflict = maintenance().importFrom(new StringReader(exported), Progress.NONE);
        assertThat(conflict.conflicts()).containsExactly(changed);
        assertThat(conflict.unchanged()).isEqualTo(lines - 1);
        assertThat(sessions.find(changed).orElseThrow()).as("not overwritten").isEqualTo(local);
    }

    @Test
    void aBadLineStopsTheImportAndKeepsWhatCameBefore() {
        String exported = richStoreExport();
        List<String> lines = exported.lines().toList();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(3);
        emptyTheStore();
        String broken = lines.get(0) + "\n" + lines.get(1) + "\n" + "{\"format\":\"claude-signal-sessions/2\",\"id\":\n"
                + String.join("\n", lines.subList(2, lines.size())) + "\n";
        assertThatThrownBy(() -> maintenance().importFrom(new StringReader(broken), Progress.NONE))
                .isInstanceOfSatisfying(ImportLineException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.imported()).isEqualTo(2);
                    assertThat(e.getMessage()).startsWith("line 3: ");
                });
        assertThat(export(ExportRequest.all()).lines().sorted().toList())
                .isEqualTo(lines.subList(0, 2).stream().sorted().toList());
        // The rest imports once the line is mended; the first two are unchanged.
        ImportReport rest = maintenance().importFrom(new StringReader(exported), Progress.NONE);
        assertThat(rest.unchanged()).isEqualTo(2);
        assertThat(rest.imported()).isEqualTo(lines.size() - 2);
    }

    @Test
    void aLineOfAnotherFormatOrWithBadValuesIsRefusedWithItsNumber() {
        String good = richStoreExport().lines().findFirst().orElseThrow();
        emptyTheStore();
        for (String bad : List.of("not json", "[]", good.replace("claude-signal-sessions/3", "claude-signal-sessions/99"),
                good.replaceFirst("\"context\":\".*?\",\"history\"", "\"context\":\"[1]\",\"history\""),
                good.replace("\"status\":\"", "\"status\":\"X"), good.replace("\"pinned\":", "\"extra\":1,\"pinned\":"))) {
            assertThatThrownBy(() -> maintenance().importFrom(new StringReader("\n" + bad + "\n"), Progress.NONE))
                    .as(bad).isInstanceOfSatisfying(ImportLineException.class, e -> assertThat(e.line()).isEqualTo(2));
        }
        assertThat(maintenance().sizes().sessions()).isZero();
    }

    @Test
    void exportSelectsByStatusAndCreationTime() {
        Session early = sessionIn(SessionStatus.TERMINATED);
        advance(Duration.ofHours(1));
        Instant since = clock.instant();
        Session late = sessionIn(SessionStatus.TERMINATED);
        Session lateActive = sessionIn(SessionStatus.ACTIVE);
        assertThat(ids(export(new ExportRequest(Set.of(SessionStatus.TERMINATED), Optional.empty(), Progress.NONE))))
                .containsExactly(late.id().toString(), early.id().toString());
        assertThat(ids(export(new ExportRequest(Set.of(), Optional.of(since), Progress.NONE))))
                .containsExactly(lateActive.id().toString(), late.id().toString());
    }

    private static List<String> ids(String export) {
        return export.lines().map(l -> json(l).get("id").asText()).toList();
    }

    /** Sessions with everything a line can hold; returns their export. */
    private String richStoreExport() {
        SessionService svc = service(persistence, SessionIdGenerator.random(), Actor.CLI);
        Transcripts items = svc.transcripts();
        Session a = svc.activate(svc.create("/home/ana/code/webapp", "+15551234567").id());
        svc.mergeContext(a.id(), "{\"n\":1.50,\"big\":12345678901234567890123,\"text\":\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\"\"}");
        svc.appendActivity(a.id(), "edit", "{\"file\":\"a.txt\",\"lines\":[1,2]}");
        svc.appendActivity(a.id(), "command", "{\"cmd\":\"make\"}");
        svc.acknowledge(a.id(), 1);
        items.append(a.id(), "{\"role\":\"user\",\"content\":\"hi\"}", "msg-1");
        items.append(a.id(), "{ \"role\" : \"assistant\", \"content\": \"spaced  out\" }");
        items.append(a.id(), "{\"role\":\"tool\"}");
        items.popLast(a.id());
        Session fork = svc.fork(a.id(), 2);
        svc.terminate(svc.pause(a.id()).id());
        maintenance().pin(fork.id());
        svc.create("/srv/other", "group.abc");
        return export(ExportRequest.all());
    }

    private String export(ExportRequest request) {
        StringWriter out = new StringWriter();
        maintenance().exportTo(out, request);
        return out.toString();
    }

    private void emptyTheStore() {
        for (SessionSummary s : sessions.list(io.claudesignal.sessions.application.port.in.SessionQuery.all()).sessions()) {
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
