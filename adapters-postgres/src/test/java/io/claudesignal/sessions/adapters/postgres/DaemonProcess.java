package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.service.LeaseHeartbeat;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.DaemonRunningException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * A child process for {@link TwoDaemonsTest}: a daemon on the shared database, under its own identity
 * and short leases renewed by a heartbeat. It creates, activates and claims {@code n} sessions and one
 * it pauses, prints them ({@code active <id>}, {@code paused <id>}, then {@code ready}), and then
 * answers {@code recover} on standard input with {@code recovered <id>} lines and {@code done}, until
 * its input ends (or it is killed).
 */
public final class DaemonProcess {

    private DaemonProcess() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String schema = args[1];
        String name = args[2];
        int count = Integer.parseInt(args[3]);
        Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
        Duration heartbeat = Duration.ofMillis(Long.parseLong(args[5]));
        try (PostgresStorage storage = PostgresStorage.open(url, PostgresSettings.defaults().withSchema(schema)
                .withMaxPoolSize(4))) {
            SessionService daemon;
            try {
                daemon = new SessionService(storage.persistence(), Clock.systemUTC(),
                        SessionIdGenerator.random(), new ContextJson(),
                        new SessionsConfig(Actor.daemon(name), lease, heartbeat, SessionsConfig.DEFAULT_ACTIVITY_LIMIT));
            } catch (DaemonRunningException e) {
                System.out.println("refused " + e.getMessage());
                System.out.flush();
                System.exit(3);
                return;
            }
            // First thing after the open, as the README's daemon does: a predecessor's sessions come back now.
            for (SessionId id : daemon.recover()) {
                System.out.println("restart-recovered " + id);
            }
            // The heartbeat runs from the start: a lease claimed during a slow start-up must not lapse.
            LeaseHeartbeat renewing = LeaseHeartbeat.start(daemon.leases(), heartbeat);
            try {
                for (int i = 0; i < count; i++) {
                    Session s = daemon.activate(daemon.create("/home/" + name + "/project" + i, "+1555000" + i).id());
                    daemon.leases().claim(s.id());
                    daemon.mergeContext(s.id(), "{\"daemon\":\"" + name + "\",\"turns\":[1,2.50]}");
                    System.out.println("active " + s.id());
                }
                SessionId paused = daemon.pause(daemon.activate(daemon.create("/home/" + name + "/paused", "+15559999").id()).id()).id();
                System.out.println("paused " + paused);
                System.out.println("ready");
                System.out.flush();
                BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String command;
                while ((command = commands.readLine()) != null) {
                    if (command.equals("recover")) {
                        for (SessionId id : daemon.recover()) {
                            System.out.println("recovered " + id);
                        }
                        System.out.println("done");
                        System.out.flush();
                    }
                }
            } finally {
                renewing.close();
            }
        }
    }
}
