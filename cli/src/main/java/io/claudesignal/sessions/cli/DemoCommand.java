package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.port.in.Approvals;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.in.SessionPage;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.TranscriptQuery;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.CatchUp;
import io.claudesignal.sessions.domain.ConflictException;
import io.claudesignal.sessions.domain.Session;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

@Command(name = "demo",
        description = {
            "Walk through the life of two sessions (create, activate, context, transcript, fork, approvals, pause, resume, "
                    + "terminate, list, delete), saying what happens as it goes. Start here.",
            "It works on a scratch database in a new temporary directory, deleted at the end: --db and "
                    + "SESSIONS_DB are ignored, and your own database and ~/.claude-signal are never touched.",
            "With --json the story goes to stderr and stdout gets the final list as JSON."
        })
final class DemoCommand extends CliCommand {

    private PrintStream say;
    private Style style;
    private Path daemonDb;

    @Override
    ExitCode execute() {
        // With --json, stdout is for the one JSON document: the story goes to stderr.
        say = cli.json ? cli.io().err() : cli.io().out();
        style = cli.json ? Style.plain() : cli.style();
        Path dir;
        try {
            dir = Files.createTempDirectory("sessions-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the demo", e);
        }
        SessionPage last;
        try {
            Path db = dir.resolve("demo.db");
            line("This is a walk through the life of two sessions. It uses a scratch database,");
            line("  " + db);
            line("which is deleted at the end: your own sessions are not touched.");
            try (SessionStore store = SessionStore.open(db.toString(), SessionsConfig.cli())) {
                daemonDb = db;
                last = tour(store.sessions(), store.transcripts(), store.approvals());
            }
        } finally {
            deleteTree(dir);
        }
        line("");
        line("The scratch database is gone. That is the whole life of a session. To begin for real:");
        line("  sessions create --project \"$PWD\" --thread <your Signal thread>");
        line("  sessions list");
        line("Your sessions live in ~/.claude-signal/sessions.db (or --db FILE, or $SESSIONS_DB).");
        line("'sessions --help' lists every command; add --json to any of them for machine output.");
        say.flush();
        if (cli.json) {
            output().page(last, Optional.empty());
        }
        return ExitCode.OK;
    }

    private SessionPage tour(Sessions sessions, Transcripts transcripts, Approvals approvals) {
        step(1, "Ana starts work on her web app from Signal. A session ties its directory to her thread:");
        command("sessions create --project /home/ana/code/webapp --thread +15551234567");
        Session web = sessions.create("/home/ana/code/webapp", "+15551234567");
        tell("Created session " + web.id() + ". It is " + status(web) + ", at version 1, with an empty context {}.");

        step(2, "A second session, for the API, talks to a group chat:");
        command("sessions create --project /home/ana/code/api --thread group.api-team");
        Session api = sessions.create("/home/ana/code/api", "group.api-team");
        tell("Created session " + api.id() + ", " + status(api) + " too.");

        step(3, "Claude Code starts working for the web app:");
        command("sessions activate " + web.id());
        web = sessions.activate(web.id());
        tell("It is " + status(web) + " now, at version " + web.version() + ": every change adds one to the version.");

        step(4, "What Claude carries between turns (settings, the branch) is in the context, a JSON object"
                + " changed by merge patches:");
        String first = "{\"model\": {\"name\": \"opus\"}, \"branch\": \"fix-login\"}";
        command("sessions context " + web.id() + " --merge '" + first + "'");
        web = sessions.mergeContext(web.id(), first);
        tell("The context is now " + web.context() + " (version " + web.version() + ").");
        String second = "{\"model\": {\"effort\": \"high\"}, \"branch\": null}";
        command("sessions context " + web.id() + " --merge '" + second + "'");
        web = sessions.mergeContext(web.id(), second);
        tell("Objects merge key by key, and null removes a key: the context is now " + web.context()
                + " (version " + web.version() + ").");

        step(5, "The conversation itself is the transcript: one item per turn, numbered 1, 2, 3...");
        String ask = "{\"role\": \"user\", \"content\": \"The login form rejects valid emails. Fix it?\"}";
        command("sessions transcript append " + web.id() + " '" + ask + "' --key signal-1001");
        transcripts.append(web.id(), ask, "signal-1001");
        transcripts.append(web.id(), "{\"role\": \"assistant\", \"content\": \"The regex in src/login.ts is too strict; "
                + "I will loosen it and add tests.\"}");
        transcripts.append(web.id(), "{\"role\": \"user\", \"content\": \"Rather rewrite the validator from scratch.\"}");
        transcripts.append(web.id(), ask, "signal-1001");
        tell("Appending costs the same at the 10th turn and the 100,000th. The same Signal message delivered");
        tell("twice (key signal-1001) is appended once. Three turns later:");
        command("sessions transcript show " + web.id());
        say.flush();
        TranscriptText text = new TranscriptText(say, style);
        transcripts.tail(web.id(), 10).forEach(item -> tell(text.line(item)));

        step(6, "Ana wants to see the other road too: a fork starts a new session from turn 2:");
        command("sessions fork " + web.id() + " --at 2");
        Session fork = sessions.fork(web.id(), 2);
        tell("Session " + fork.id() + " is " + status(fork) + ", with the same context and turns 1 and 2;");
        tell("the original keeps all " + transcripts.count(web.id()) + " turns. 'sessions show' names where a fork came from.");
        tell("Weeks later, where did Claude explain the login regex? Every conversation can be searched:");
        command("sessions search 'login regex'");
        transcripts.search(TranscriptQuery.of("login regex")).matches().forEach(m -> tell(SearchCommand.line(m, style)));

        step(7, "As Claude works, the daemon logs what it does, beside the context (never inside it):");
        sessions.appendActivity(web.id(), "edit", "{\"file\": \"src/login.ts\"}");
        sessions.appendActivity(web.id(), "edit", "{\"file\": \"src/session.ts\"}");
        sessions.appendActivity(web.id(), "test", "{\"passed\": 42, \"failed\": 0}");
        tell("It logged: edit src/login.ts, edit src/session.ts, test (42 passed). The log keeps the newest");
        tell("100 entries of each session; 'sessions activities ID' prints it.");

        step(8, "Claude wants to run a command and asks permission. The daemon (another handle on the same");
        line("   database, as another process would be) records the request; it survives a restart of the daemon:");
        approve(web, approvals);

        step(9, "Ana steps away, so the session is paused:");
        command("sessions pause " + web.id());
        web = sessions.pause(web.id());
        tell("It is " + status(web) + " (version " + web.version() + "); its context is kept as it was. The question"
                + " Claude still had open (git push) was cancelled in the same step.");

        step(10, "Only a paused session can be resumed. The API session never started, so this is refused:");
        command("sessions resume " + api.id());
        try {
            sessions.resume(api.id());
            tell("(Unexpectedly, it was resumed.)");
        } catch (ConflictException refused) {
            tell("Refused: " + refused.getMessage() + ".");
            tell("The CLI exits with code 4 (conflict) for this, and nothing was changed. Two programs");
            tell("racing to change one session are treated the same way: one wins, the other is told.");
        }

        step(11, "Ana is back; resuming the web app session works, and she catches up:");
        command("sessions resume " + web.id());
        web = sessions.resume(web.id());
        tell("It is " + status(web) + " again (version " + web.version() + ").");
        command("sessions catch-up " + web.id() + " --ack");
        CatchUp catchUp = sessions.catchUp(web.id());
        sessions.acknowledge(web.id(), catchUp.throughSeq());
        tell(catchUp.summary());
        tell("--ack marks it as seen; the next catch-up starts from here. Nothing is deleted.");

        step(12, "Every status change is in the session's history, with why and by whom:");
        command("sessions history " + web.id());
        say.flush();
        new HumanOutput(say, say, style, "   ").history(web.id(), sessions.history(web.id()));
        tell("If the daemon dies, 'sessions recover' pauses the sessions it ran (reason crash-recovery).");

        step(13, "The work is done, and the sessions end:");
        command("sessions terminate " + web.id());
        command("sessions terminate " + api.id());
        command("sessions terminate " + fork.id());
        web = sessions.terminate(web.id());
        api = sessions.terminate(api.id());
        sessions.terminate(fork.id());
        tell("All three are " + status(web) + ". A terminated session never comes back.");

        step(14, "The list shows the newest first, without contexts:");
        command("sessions list");
        SessionPage page = sessions.list(SessionQuery.all());
        say.flush();
        new HumanOutput(say, say, style, "   ").page(page, Optional.empty());

        step(15, "A terminated session can be deleted for good (a live one cannot):");
        command("sessions delete " + api.id());
        command("sessions delete " + fork.id());
        sessions.delete(api.id());
        sessions.delete(fork.id());
        SessionPage left = sessions.list(SessionQuery.all());
        tell("Deleted. " + left.sessions().size() + " session is left.");
        return left;
    }

    /** Step 8: the daemon asks, the person decides from the CLI, the daemon hears it. */
    private void approve(Session web, Approvals approvals) {
        try (SessionStore daemon = SessionStore.open(daemonDb.toString(), SessionsConfig.daemon("demo"))) {
            BlockingQueue<SessionEvent.ApprovalDecided> heard = new LinkedBlockingQueue<>();
            daemon.sessions().subscribe(event -> {
                if (event instanceof SessionEvent.ApprovalDecided decided) {
                    heard.add(decided);
                }
            });
            Approval tests = daemon.approvals().request(web.id(),
                    "{\"tool\": \"Bash\", \"input\": {\"command\": \"npm test\"}}", "toolu_01");
            daemon.approvals().request(web.id(),
                    "{\"tool\": \"Bash\", \"input\": {\"command\": \"git push --force\"}}", "toolu_02");
            tell("Two questions wait for Ana. At her computer, she looks:");
            command("sessions approvals");
            say.flush();
            for (Approval a : approvals.pending()) {
                tell(ApprovalText.shortId(a) + "  " + a.requestedBy() + " asks  " + ApprovalText.asked(a));
            }
            command("sessions approve " + ApprovalText.shortId(tests) + " --note \"go ahead\"");
            Approval approved = approvals.decide(tests.id(), Approval.Decision.APPROVE, Actor.CLI, "go ahead");
            tell("It is " + style.green(approved.state().name()) + ". Approving it again changes nothing; rejecting it"
                    + " now is a conflict (exit 4).");
            SessionEvent.ApprovalDecided decided = heard.poll(10, TimeUnit.SECONDS);
            tell(decided == null ? "(The daemon did not hear it within 10 s.)"
                    : "The daemon's listener heard it: ApprovalDecided, " + decided.approval().state() + " by "
                            + decided.actor() + ". Claude runs the tests.");
            tell("Unanswered, a question expires after 10 minutes; pausing the session cancels it (next step).");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String status(Session session) {
        return style.status(session.status(), session.status().name());
    }

    private void step(int number, String text) {
        line("");
        line(style.bold(number + ". ") + text);
    }

    private void command(String text) {
        line("   " + style.dim("$ ") + style.cyan(text));
    }

    private void tell(String text) {
        line("   " + text);
    }

    private void line(String text) {
        say.print(text + "\n");
    }

    private void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path path : paths) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            cli.io().err().print("sessions: could not delete the demo's scratch directory " + dir + ": " + e + "\n");
        }
    }
}
