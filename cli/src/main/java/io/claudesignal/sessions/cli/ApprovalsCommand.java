package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.port.in.Approvals;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.ApprovalId;
import io.claudesignal.sessions.domain.IdPrefix;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionId;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sessions approvals}, {@code sessions approve ID}, {@code sessions reject ID}: what Claude asks
 * permission for, decided from a terminal. A decision made here is heard by the daemon through the
 * change feed like any other change.
 */
final class ApprovalsCommand {

    static final String APPROVAL_ID_HELP = "The approval id, or a unique prefix of it (6 or more characters).";
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 10_000;

    private ApprovalsCommand() {
    }

    /** The approval a person means: a whole id, or a unique prefix (looked up once the store is open). */
    static ApprovalId resolve(SessionsCli cli, String text) {
        // Checked before the store opens: a malformed id must not create a database file.
        IdPrefix typed = IdPrefix.parse(text, "approval");
        return typed.isWholeId() ? new ApprovalId(typed.lowest().value()) : approvals(cli).resolve(text);
    }

    static Approvals approvals(SessionsCli cli) {
        return cli.store().approvals();
    }

    @Command(name = "approvals", description = {
        "List what Claude asks permission for: by default the approvals that wait for a decision now, oldest first"
                + " (short id, session, age, what is asked).",
        "With --all every state (APPROVED, REJECTED, EXPIRED, CANCELLED too): a session's in request order, else the"
                + " newest --limit of every session.",
        "With --json: {\"approvals\": [{\"id\", \"sessionId\", \"seq\", \"key\", \"state\", \"request\", \"requestedBy\","
                + " \"requestedAt\", \"expiresAt\", \"decidedAt\", \"decidedBy\", \"note\"}]}."
    })
    static final class ListApprovals extends CliCommand {

        @Option(names = "--session", paramLabel = "ID", description = "Only this session's (an id or a unique prefix).")
        String session;

        @Option(names = "--all", description = "Every state, not only the pending ones.")
        boolean all;

        @Option(names = "--limit", paramLabel = "N",
                description = "With --all and no --session: the newest N (default: " + DEFAULT_LIMIT + ").")
        Integer limit;

        @Override
        ExitCode execute() {
            SessionId id = session == null ? null : id(session);
            if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
                throw new InvalidInputException("limit", "must be 1 to " + MAX_LIMIT + ", was " + limit);
            }
            if (limit != null && (!all || id != null)) {
                throw new InvalidInputException("limit", "only with --all and without --session");
            }
            Approvals approvals = approvals(cli);
            List<Approval> found;
            if (id != null) {
                found = all ? approvals.all(id) : approvals.pending(id);
            } else {
                found = all ? approvals.recent(limit != null ? limit : DEFAULT_LIMIT) : approvals.pending();
            }
            text().list(found, all);
            return ExitCode.OK;
        }

        private ApprovalText text() {
            return new ApprovalText(cli.io().out(), cli.json ? null : cli.style());
        }
    }

    /** {@code approve} and {@code reject}: the one decision on an approval. */
    abstract static class Decide extends CliCommand {

        @Parameters(paramLabel = "ID", description = APPROVAL_ID_HELP)
        String id;

        @Option(names = "--note", paramLabel = "TEXT", description = "What to tell Claude with the decision.")
        String note;

        private final Approval.Decision decision;

        Decide(Approval.Decision decision) {
            this.decision = decision;
        }

        @Override
        ExitCode execute() {
            if (note != null) {
                Approval.validateNote(note); // before the store opens
            }
            ApprovalId approval = resolve(cli, id);
            Approvals approvals = approvals(cli);
            Approval decided = note == null ? approvals.decide(approval, decision, Actor.CLI)
                    : approvals.decide(approval, decision, Actor.CLI, note);
            new ApprovalText(cli.io().out(), cli.json ? null : cli.style()).decided(decided);
            return ExitCode.OK;
        }
    }

    @Command(name = "approve", description = {
        "Approve what Claude asked (the daemon hears it at once). Approving an approved one again changes nothing;",
        "one that was rejected, expired or cancelled is a conflict (exit 4) naming its state."
    })
    static final class Approve extends Decide {
        Approve() {
            super(Approval.Decision.APPROVE);
        }
    }

    @Command(name = "reject", description = {
        "Reject what Claude asked (the daemon hears it at once). Rejecting a rejected one again changes nothing;",
        "one that was approved, expired or cancelled is a conflict (exit 4) naming its state."
    })
    static final class Reject extends Decide {
        Reject() {
            super(Approval.Decision.REJECT);
        }
    }
}
