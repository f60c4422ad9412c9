package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionId;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "outbox", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, synopsisHeading = "Usage: ", descriptionHeading = "%n", parameterListHeading = "%n",
        optionListHeading = "%nOptions:%n", commandListHeading = "%nCommands:%n",
        description = {
            "Print the replies not yet sent (of one session, or of all), oldest first; --dead: only those out of attempts.",
            "With --json: {\"replies\": [{\"id\", \"session\", \"state\", \"key\", \"attempts\", \"dueAt\", \"queuedAt\", "
                    + "\"lastError\", \"reply\"}]}."
        },
        subcommands = OutboxCommand.Retry.class)
final class OutboxCommand implements Callable<Integer> {

    static final int MAX_LIMIT = 10_000;

    @ParentCommand
    SessionsCli cli;

    @Parameters(paramLabel = "ID", arity = "0..1", description = "Only this session's replies: " + CliCommand.ID_HELP)
    String id;

    @Option(names = "--dead", description = "Only the DEAD replies: out of attempts, kept until retried.")
    boolean dead;

    @Option(names = "--limit", paramLabel = "N", description = "At most N replies (default: 100).")
    int limit = 100;

    @Override
    public Integer call() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be 1 to " + MAX_LIMIT + ", was " + limit);
        }
        Optional<SessionId> session = Optional.ofNullable(id).map(cli::resolve);
        text(cli).replies(cli.store().outbox().list(session, dead, limit));
        return ExitCode.OK.code();
    }

    static MessagesText text(SessionsCli cli) {
        return new MessagesText(cli.io().out(), cli.json ? null : cli.style());
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Make a DEAD reply due again now, its attempts counted afresh, and print it.")
    static final class Retry implements Callable<Integer> {

        @ParentCommand
        OutboxCommand group;

        @Parameters(paramLabel = "REPLY", description = "The reply's number, as `sessions outbox` prints it.")
        String reply;

        @Override
        public Integer call() {
            long replyId;
            try {
                replyId = Long.parseLong(reply.strip());
            } catch (NumberFormatException e) {
                throw new InvalidInputException("reply", "must be a reply's number, was " + reply);
            }
            text(group.cli).reply(group.cli.store().outbox().retry(replyId));
            return ExitCode.OK.code();
        }
    }
}
