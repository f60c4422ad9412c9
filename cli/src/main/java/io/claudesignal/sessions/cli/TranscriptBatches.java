package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.port.in.AppendReport;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.TranscriptCompaction;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Many items at a time: {@code transcript append --jsonl} (one step, all or none), {@code transcript
 * import} (a Claude Code session file, keyed by each entry's {@code uuid}), {@code transcript export}
 * (one item a line, as stored) and {@code transcript compact}.
 */
final class TranscriptBatches {

    /** Characters {@code append --jsonl} reads in all: a bound on memory, the whole batch being one step. */
    static final long MAX_BATCH_CHARS = 256L * 1024 * 1024;
    /** Lines per transaction of an import: big enough to cost little per line, small enough not to hold the writer long. */
    static final int IMPORT_CHUNK = 1_000;
    /** Items per read of an export. */
    static final int EXPORT_PAGE = 1_000;
    /** The field of a Claude Code session file's entry that identifies it. */
    static final String CLAUDE_CODE_KEY = "uuid";

    private TranscriptBatches() {
    }

    /** {@code append --jsonl}: every line of {@code source} in one {@link Transcripts#appendBatch}. */
    static void appendLines(SessionsCli cli, SessionId session, String source, Optional<String> keyField) {
        AppendReport report;
        try (TranscriptLines lines = TranscriptLines.open(source, cli.io().in(), keyField)) {
            List<TranscriptLines.Line> all = lines.next(Integer.MAX_VALUE, MAX_BATCH_CHARS);
            try {
                report = cli.store().transcripts().appendBatch(session, all.stream().map(TranscriptLines.Line::item).toList());
            } catch (InvalidInputException refused) {
                throw TranscriptLines.atLine(refused, all, "; nothing was appended");
            }
        }
        text(cli).appended(session, new Counts(report.appended().size(), report.skipped(), report.first(), report.last()),
                "appended");
    }

    /** The key of one item given on its own: its top-level string field {@code keyField}, if it has one. */
    static Optional<String> keyOf(String item, String keyField) {
        return TranscriptLines.keyOf(item, keyField, "item");
    }

    /** What an append of many items or an import did, as printed. */
    record Counts(long appended, long skipped, Optional<Long> first, Optional<Long> last) {
    }

    private static TranscriptText text(SessionsCli cli) {
        return new TranscriptText(cli.io().out(), cli.json ? null : cli.style());
    }

    @Command(name = "import", description = {
        "Append a Claude Code session file (JSON Lines) to a session's transcript, each line an item as it is.",
        "Each entry's \"uuid\" is its key: an entry already in the session (or earlier in the file) is skipped, so "
                + "importing twice appends only the entries without a uuid again. In transactions of "
                + IMPORT_CHUNK + " lines; a bad line stops the import (exit 5, naming it), the lines before it stay."
    })
    static final class Import extends TranscriptCommand.Sub {

        @Parameters(index = "1", paramLabel = "FILE", description = "The .jsonl file, or - for standard input.")
        String file;

        @Override
        ExitCode execute() {
            SessionId session = cli().resolve(id);
            Transcripts transcripts = transcripts();
            boolean stdin = file.equals("-");
            Path path = stdin ? null : ExportCommand.path(file);
            long total = stdin ? -1 : countLines(path);
            long appended = 0;
            long skipped = 0;
            Optional<Long> first = Optional.empty();
            Optional<Long> last = Optional.empty();
            try (TranscriptLines lines = stdin ? TranscriptLines.open("-", cli().io().in(), Optional.of(CLAUDE_CODE_KEY))
                    : TranscriptLines.file(path, Optional.of(CLAUDE_CODE_KEY));
                    ProgressDisplay.Shown progress = cli().progress().start("importing")) {
                while (true) {
                    List<TranscriptLines.Line> chunk = List.of();
                    AppendReport report;
                    String note = appended + skipped == 0 ? "; nothing was imported"
                            : "; the lines before it were imported (run it again once fixed: they are skipped)";
                    try {
                        chunk = lines.next(IMPORT_CHUNK, Long.MAX_VALUE);
                        if (chunk.isEmpty()) {
                            break;
                        }
                        report = transcripts.appendBatch(session, chunk.stream().map(TranscriptLines.Line::item).toList());
                    } catch (InvalidInputException refused) {
                        throw TranscriptLines.withNote(TranscriptLines.atLine(refused, chunk, ""), note);
                    }
                    appended += report.appended().size();
                    skipped += report.skipped();
                    first = first.or(report::first);
                    last = report.last().isPresent() ? report.last() : last;
                    progress.advanced(chunk.get(chunk.size() - 1).number(), total);
                }
            }
            text().appended(session, new Counts(appended, skipped, first, last), "imported");
            return ExitCode.OK;
        }

        private static long countLines(Path path) {
            if (!Files.isRegularFile(path)) {
                throw new InvalidInputException("FILE", path + " is not a readable file");
            }
            long lines = 0;
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = Files.newInputStream(path)) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                }
            } catch (IOException e) {
                throw new InvalidInputException("FILE", "cannot read " + path + ": " + e.getMessage());
            }
            return lines;
        }
    }

    @Command(name = "export", description = {
        "Write a session's transcript to standard output, one item a line, each exactly as stored (JSON Lines):",
        "a Claude Code file imported and exported comes back byte for byte. An item holding a line break (only "
                + "possible between its tokens) is written with each CR and LF as a space: the same JSON, on one line."
    })
    static final class Export extends TranscriptCommand.Sub {

        @Override
        ExitCode execute() {
            SessionId session = cli().resolve(id);
            Transcripts transcripts = transcripts();
            Writer out = new BufferedWriter(new OutputStreamWriter(cli().io().out(), StandardCharsets.UTF_8), 1 << 16);
            try {
                long after = 0;
                for (List<TranscriptItem> page = transcripts.after(session, after, EXPORT_PAGE); !page.isEmpty();
                        page = transcripts.after(session, after, EXPORT_PAGE)) {
                    for (TranscriptItem item : page) {
                        out.write(oneLine(item.json()));
                        out.write('\n');
                    }
                    after = page.get(page.size() - 1).seq();
                }
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return ExitCode.OK;
        }

        /** A raw line break can only be whitespace between tokens (a string may not hold one): a space says the same. */
        static String oneLine(String json) {
            return json.indexOf('\n') < 0 && json.indexOf('\r') < 0 ? json : json.replace('\n', ' ').replace('\r', ' ');
        }
    }

    @Command(name = "compact", description = {
        "Replace the items numbered 1 to SEQ by one summary item, numbered SEQ, in one step.",
        "Reading from the start then gives the summary, then the items after SEQ; a reader paging with --after "
                + "never sees an item twice. The replaced items' bytes are overwritten."
    })
    static final class Compact extends TranscriptCommand.Sub {

        @Option(names = "--through", paramLabel = "SEQ", required = true,
                description = "The number of the last item the summary replaces.")
        long through;

        @Parameters(index = "1", paramLabel = "JSON|@FILE",
                description = "The summary: a JSON object; @FILE reads it from a file, - or @- from standard input.")
        String summary;

        @Override
        ExitCode execute() {
            SessionId session = cli().resolve(id);
            String json = TextArgument.read(summary, "summary", cli().io().in(), TranscriptCommand.MAX_ITEM_BYTES);
            TranscriptCompaction done = transcripts().compact(session, through, json);
            text().compacted(session, done);
            return ExitCode.OK;
        }
    }
}
