package io.claudesignal.sessions.tck;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the transcript kits ({@link TranscriptKit}, {@link ForkKit}) add to {@link Kit}: the
 * {@link Transcripts} of the CLI's handle, items limited to 4 KiB so that the size rule is cheap to
 * test, and a few helpers.
 */
abstract class TranscriptFixture extends Kit {

    /** Items are limited to 4 KiB here so that the size rule can be tested cheaply. */
    protected static final int ITEM_LIMIT = 4096;
    /** Rounds of the same-key race: each is 16 threads on a fresh session. */
    protected static final int KEY_ROUNDS = 5;

    protected Transcripts transcripts;

    /** Runs after {@link Kit}'s: the CLI's handle again, kept as a service for its transcripts. */
    @BeforeEach
    final void useTheTranscripts() {
        SessionService cli = service(persistence, SessionIdGenerator.random(), Actor.CLI);
        sessions = cli;
        transcripts = cli.transcripts();
    }

    @Override
    protected SessionService service(Persistence handle, SessionIdGenerator ids, Actor actor) {
        return new SessionService(handle, clock, ids, new ContextJson(MAX_CONTEXT_BYTES, MAX_DEPTH),
                new SessionsConfig(actor, LEASE, HEARTBEAT, ACTIVITY_LIMIT, ITEM_LIMIT));
    }

    /** The transcripts of a second handle on the store (another process's view of it). */
    protected Transcripts secondTranscripts() throws Exception {
        return service(openSecondHandle(), SessionIdGenerator.random(), Actor.CLI).transcripts();
    }

    protected static String turn(int n) {
        return "{\"role\":\"user\",\"content\":\"turn " + n + "\"}";
    }

    protected static List<Long> seqs(List<TranscriptItem> items) {
        return items.stream().map(TranscriptItem::seq).toList();
    }
}
