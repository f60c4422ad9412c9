package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sessions transcript show|append|pop|clear}: a session's conversation, item by item; import,
 * export and compact are in {@link TranscriptBatches}.
 */
@Command(name = "transcript", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, synopsisHeading = "Usage: ", descriptionHeading = "%n",
        commandListHeading = "%nCommands:%n",
        description = {
            "A session's conversation transcript: JSON items numbered 1, 2, 3... in append order.",
            "A number is never reused: after pop or clear the next item takes the next number."
        },
        subcommands = {
            TranscriptCommand.Show.class,
            TranscriptCommand.Append.class,
            TranscriptCommand.Pop.class,
            TranscriptCommand.Clear.class,
            TranscriptBatches.Import.class,
            TranscriptBatches.Export.class,
            TranscriptBatches.Compact.class
        })
final class TranscriptCommand implements Callable<Integer> {

    /** Most items one {@code show} prints. */
    static final int MAX_LIMIT = 10_000;
    static final int DEFAULT_LIMIT = 50;
    /** Larger than any item the store could accept, small enough not to exhaust memory on a wrong file. */
    static final int MAX_ITEM_BYTES = 4 * SessionsConfig.MAX_TRANSCRIPT_ITEM_LIMIT;

    @ParentCommand
    SessionsCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "a transcript command is required: " + String.join(", ", spec.subcommands().keySet()));
    }

    /** What the transcript commands share: the store, and how items are printed. */
    @Command(mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
            synopsisHeading = "Usage: ", descriptionHeading = "%n", parameterListHeading = "%n",
            optionListHeading = "%nOptions:%n")
    abstract static class Sub implements Callable<Integer> {

        @ParentCommand
        TranscriptCommand group;

        @Parameters(index = "0", paramLabel = "ID", description = CliCommand.ID_HELP)
        String id;

        SessionsCli cli() {
            return group.cli;
        }

        Transcripts transcripts() {
            return cli().store().transcripts();
        }

        TranscriptText text() {
            return new TranscriptText(cli().io().out(), cli().json ? null : cli().style());
        }

        @Override
        public final Integer call() {
            return execute().code();
        }

        abstract ExitCode execute();
    }

    @Command(name = "show", description = {
        "Print a session's transcript, oldest first: from the start, after an item (--after), or the newest (--tail).",
        "With --json: {\"items\": [{\"seq\", \"at\", \"key\", \"item\"}], \"next\": SEQ or null}; "
                + "\"next\" is the --after that continues, when there is more."
    })
    static final class Show extends Sub {

        static final class Window {
            @Option(names = "--tail", paramLabel = "N", description = "The newest N items.")
            Integer tail;

            @Option(names = "--after", paramLabel = "SEQ", description = "The items numbered above SEQ (default: 0, the start).")
            Long after;
        }

        @ArgGroup(exclusive = true, multiplicity = "0..1")
        Window window;

        @Option(names = "--limit", paramLabel = "N",
                description = "At most N items from --after or the start (default: " + DEFAULT_LIMIT + ").")
        Integer limit;

        @Override
        ExitCode execute() {
            SessionId session = cli().resolve(id);
            if (window != null && window.tail != null) {
                if (limit != null) {
                    throw new InvalidInputException("limit", "--tail N says how many already; use one of them");
                }
                if (window.tail == 0) { // every peer answers an empty list; the session must still exist
                    transcripts().count(session);
                    text().page(session, List.of(), Optional.empty());
                    return ExitCode.OK;
                }
                requireLimit("tail", window.tail);
                text().page(session, transcripts().tail(session, window.tail), Optional.empty());
                return ExitCode.OK;
            }
            long after = window != null && window.after != null ? window.after : 0;
            int max = limit != null ? limit : DEFAULT_LIMIT;
            requireLimit("limit", max);
            // One more than asked tells whether another page follows, without a count.
            List<TranscriptItem> items = transcripts().after(session, after, max + 1);
            Optional<Long> next = Optional.empty();
            if (items.size() > max) {
                items = items.subList(0, max);
                next = Optional.of(items.get(max - 1).seq());
            }
            text().page(session, items, next);
            return ExitCode.OK;
        }

        private static void requireLimit(String field, int n) {
            if (n < 1 || n > MAX_LIMIT) {
                throw new InvalidInputException(field, "must be 1 to " + MAX_LIMIT + ", was " + n);
            }
        }
    }

    @Command(name = "append", description = {
        "Append one item (a JSON object, stored exactly as given) to a session's transcript.",
        "With --key, an item already appended with that key is printed and nothing is written.",
        "With --jsonl, one item a line, all appended in one step or none (a bad line refuses the call, naming it).",
        "Prefer @FILE or - for large items: the command line holds about 128 KiB at most."
    })
    static final class Append extends Sub {

        @Spec
        CommandSpec spec;

        @Parameters(index = "1", paramLabel = "JSON|@FILE",
                description = "The item: a JSON object; @FILE reads it from a file, - or @- from standard input.")
        String item;

        @Option(names = "--key", paramLabel = "K", description = "An idempotency key, unique in the session.")
        String key;

        @Option(names = "--jsonl", description = "Items one a line (JSON Lines), appended in one step: all or none.")
        boolean jsonl;

        @Option(names = "--key-field", paramLabel = "NAME", description = "Take each item's key from its top-level "
                + "string field NAME; items whose key the session holds are skipped and counted.")
        String keyField;

        @Override
        ExitCode execute() {
            if (key != null && (jsonl || keyField != null)) {
                throw new ParameterException(spec.commandLine(), "--key is for one item; with --jsonl or --key-field "
                        + "the keys come from the items");
            }
            SessionId session = cli().resolve(id);
            if (jsonl) {
                TranscriptBatches.appendLines(cli(), session, item, Optional.ofNullable(keyField));
                return ExitCode.OK;
            }
            String json = TextArgument.read(item, "item", cli().io().in(), MAX_ITEM_BYTES);
            String k = keyField == null ? key : TranscriptBatches.keyOf(json, keyField).orElse(null);
            TranscriptItem stored = k == null ? transcripts().append(session, json) : transcripts().append(session, json, k);
            text().item(stored);
            return ExitCode.OK;
        }
    }

    @Command(name = "pop", description = "Remove the newest item of a session's transcript (undo a turn) and print it.")
    static final class Pop extends Sub {

        @Override
        ExitCode execute() {
            SessionId session = cli().resolve(id);
            text().popped(session, transcripts().popLast(session));
            return ExitCode.OK;
        }
    }

    @Command(name = "clear", description = "Remove every item of a session's transcript; numbering goes on after the last.")
    static final class Clear extends Sub {

        @Override
        ExitCode execute() {
            SessionId session = cli().resolve(id);
            text().cleared(session, transcripts().clear(session));
            return ExitCode.OK;
        }
    }
}
