package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Session;
import java.time.Clock;

/**
 * A child process for {@link StalledPeerTest}: a writer on the shared database that writes its own
 * session without pause ({@code mergeContext}, one transaction each), so that a SIGSTOP finds it inside
 * a transaction. Its connections carry the application name it is given, by which the test finds them
 * on the server. Prints {@code ready <id>}, then writes until it is killed.
 */
public final class StalledWriterProcess {

    private StalledWriterProcess() {
    }

    public static void main(String[] args) {
        String url = args[0] + (args[0].contains("?") ? "&" : "?") + "ApplicationName=" + args[2];
        try (PostgresStorage storage = PostgresStorage.open(url, PostgresSettings.defaults().withSchema(args[1])
                .withMaxPoolSize(2))) {
            SessionService writer = new SessionService(storage.persistence(), Clock.systemUTC(),
                    SessionIdGenerator.random(), new ContextJson(), SessionsConfig.cli());
            Session own = writer.activate(writer.create("/home/stalled/project", "+15550000042").id());
            System.out.println("ready " + own.id());
            System.out.flush();
            for (long turn = 0; ; turn++) {
                writer.mergeContext(own.id(), "{\"turn\":" + turn + "}");
            }
        }
    }
}
