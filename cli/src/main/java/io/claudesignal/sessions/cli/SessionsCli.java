package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.port.out.StorageFactory;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.IdPrefix;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionId;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code sessions} command: looks at and changes the sessions of a claude-signal database.
 *
 * <p>Entry points: {@link #main(String[])} for the shell, {@link #run(String[], PrintStream, PrintStream,
 * Map, StoreOpener)} for tests and embedders. The store is opened lazily, only by the commands that
 * need it, through the {@link StoreOpener}, and closed when the command is done. The commands are
 * added by {@code run}, not listed in the annotation: see {@link #COMMANDS}.
 */
@Command(
        name = "sessions",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        headerHeading = "",
        header = "Look at and change the coding sessions of claude-signal.",
        synopsisHeading = "%nUsage: ",
        descriptionHeading = "%n",
        description = {
            "Each session ties a project directory to a Signal thread and carries a JSON context. "
                    + "It is CREATED, becomes ACTIVE, may be PAUSED and resumed, and ends TERMINATED.",
            "",
            "New here? Run 'sessions demo': it walks through the life of two sessions on a scratch database."
        },
        optionListHeading = "%nGlobal options (also accepted after the command):%n",
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = {
            "The database is --db, else $SESSIONS_DB, else ~/.claude-signal/sessions.db;"
                    + " a postgresql:// or jdbc:postgresql:// URL there names a PostgreSQL database.",
            "With --json, every command prints one JSON document on stdout and errors are one JSON "
                    + "object {\"error\": {\"code\", \"type\", \"message\"}} on stderr.",
            "See docs/cli.md for the full reference."
        })
public final class SessionsCli implements Callable<Integer> {

    /**
     * Every command, in the order the help lists them. picocli builds a command's model by reflecting
     * over its class, which took about a third of a short command's start-up for all of them; a run
     * that names its command gets only that one (see {@link #commandsFor}).
     */
    private static final List<Class<?>> COMMANDS = List.of(
            CreateCommand.class,
            ShowCommand.class,
            ListCommand.class,
            TransitionCommand.class,
            LifecycleCommand.Activate.class,
            LifecycleCommand.Pause.class,
            LifecycleCommand.Resume.class,
            LifecycleCommand.Terminate.class,
            ContextCommand.class,
            DeleteCommand.class,
            HistoryCommand.class,
            RecoverCommand.class,
            ActivitiesCommand.class,
            CatchUpCommand.class,
            TranscriptCommand.class,
            ApprovalsCommand.ListApprovals.class,
            ApprovalsCommand.Approve.class,
            ApprovalsCommand.Reject.class,
            SearchCommand.class,
            ForkCommand.class,
            InboxCommand.class,
            OutboxCommand.class,
            PinCommand.Pin.class,
            PinCommand.Unpin.class,
            PurgeCommand.class,
            ExportCommand.class,
            ImportCommand.class,
            BackupCommand.class,
            CheckCommand.class,
            DemoCommand.class,
            CompletionCommand.class,
            CompleteIdsCommand.class);

    /** What one run works with: its streams, environment and how to open the store. */
    record Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
              StoreOpener opener, boolean terminal) {

        Io {
            Objects.requireNonNull(in, "in");
            Objects.requireNonNull(out, "out");
            Objects.requireNonNull(err, "err");
            env = Map.copyOf(env);
            Objects.requireNonNull(opener, "opener");
        }
    }

    @Option(names = "--db", paramLabel = "FILE|URL", scope = ScopeType.INHERIT,
            description = "The database file, or a PostgreSQL URL (postgresql://user@host/db or jdbc:postgresql://…)"
                    + " (default: $SESSIONS_DB, else ~/.claude-signal/sessions.db).")
    String db;

    @Option(names = "--allow-foreign-owner", scope = ScopeType.INHERIT,
            description = "Open a database file owned by another user (refused by default, even for root).")
    boolean allowForeignOwner;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Machine output: one JSON document on stdout; errors as JSON on stderr.")
    boolean json;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Show the stack trace of an error.")
    boolean debug;

    @Spec
    CommandSpec spec;

    private final Io io;
    private SessionStore store;
    private Output output;

    SessionsCli(Io io) {
        this.io = io;
    }

    public static void main(String[] args) {
        // sqlite-jdbc logs through SLF4J; with no provider SLF4J warns on stderr, which is the CLI's
        // one-line error channel. The library leaves the choice of a provider to embedders.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        // JSON is UTF-8 (RFC 8259), whatever the locale; so is the text around it.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), false, StandardCharsets.UTF_8);
        int code = run(args, new Io(System.in, out, err, System.getenv(), StoreOpener.standard(),
                System.console() != null));
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs one command line and returns its exit code (see {@link ExitCode}); never throws, never
     * exits. Reads stdin from {@link System#in}; output is never coloured.
     *
     * @param env    the environment ({@code SESSIONS_DB}, {@code NO_COLOR}, {@code TERM})
     * @param opener opens the database the command works on; the CLI closes what it opens
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env,
                          StoreOpener opener) {
        return run(args, System.in, out, err, env, opener);
    }

    /** As {@link #run(String[], PrintStream, PrintStream, Map, StoreOpener)}, reading stdin from {@code in}. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err,
                          Map<String, String> env, StoreOpener opener) {
        return run(args, new Io(in, out, err, env, opener, false));
    }

    static int run(String[] args, Io io) {
        SessionsCli cli = new SessionsCli(io);
        Failures failures = new Failures(cli);
        CommandLine commandLine = new CommandLine(cli);
        // First: picocli applies the settings below to the subcommands present when they are made.
        for (Class<?> command : commandsFor(args)) {
            commandLine.addSubcommand(command);
        }
        commandLine.setOut(new PrintWriter(io.out(), true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(io.err(), true, StandardCharsets.UTF_8))
                // "--merge @FILE" is ours to read: picocli must not expand @-files itself.
                .setExpandAtFiles(false)
                .setParameterExceptionHandler(failures)
                .setExecutionExceptionHandler(failures);
        exitCodeList(commandLine);
        int code;
        try {
            code = commandLine.execute(args);
        } catch (RuntimeException | Error e) {
            code = failures.report(e);
        }
        try {
            cli.closeStore();
        } catch (RuntimeException e) {
            // The command's own outcome is what the user needs to hear about first.
            if (code == ExitCode.OK.code()) {
                code = failures.report(e);
            }
        }
        io.out().flush();
        io.err().flush();
        return code;
    }

    /**
     * The command the arguments name, alone, when they start with nothing but the global options
     * {@code --db}, {@code --json} and {@code --debug}; else every command, for the help, a usage
     * error's list of commands or picocli's suggestion for a misspelt one.
     */
    static List<Class<?>> commandsFor(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--db")) {
                // Its value is skipped as picocli would take it, unless that is a command's name,
                // which picocli refuses as a value: then the full set, for the same refusal.
                if (i + 1 < args.length && command(args[i + 1]) != null) {
                    return COMMANDS;
                }
                i++;
            } else if (arg.startsWith("--db=") || arg.equals("--json") || arg.equals("--debug")) {
                continue;
            } else {
                Class<?> named = command(arg);
                return named == null ? COMMANDS : List.of(named);
            }
        }
        return COMMANDS;
    }

    /** The whole command tree, whatever this run named: what {@code completion} generates a script from. */
    static CommandLine everyCommand(Io io) {
        CommandLine all = new CommandLine(new SessionsCli(io));
        for (Class<?> command : COMMANDS) {
            all.addSubcommand(command);
        }
        return all;
    }

    private static Class<?> command(String name) {
        for (Class<?> command : COMMANDS) {
            if (command.getAnnotation(Command.class).name().equals(name)) {
                return command;
            }
        }
        return null;
    }

    private static void exitCodeList(CommandLine commandLine) {
        commandLine.getCommandSpec().usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCode.helpList());
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            exitCodeList(sub);
        }
    }

    /** Without a command there is nothing to do: a usage error that names the commands. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "a command is required: " + String.join(", ", spec.subcommands().entrySet().stream()
                        .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden()).map(Map.Entry::getKey).toList()));
    }

    Io io() {
        return io;
    }

    boolean debug() {
        return debug;
    }

    /**
     * The progress display of a long command: never with {@code --json} or when standard error is not a
     * terminal, so scripts and pipes see only the command's own output.
     */
    ProgressDisplay progress() {
        return json || !io.terminal() || !TerminalProgress.stderrIsTerminal() ? ProgressDisplay.NONE : progressDisplay;
    }

    /** The display used on a terminal: a bar on standard error, cleared when the command ends. */
    ProgressDisplay progressDisplay = this::terminalBar;

    private ProgressDisplay.Shown terminalBar(String label) {
        TerminalProgress.Bar bar = TerminalProgress.onStandardError(io.err()).start(label);
        return new ProgressDisplay.Shown() {
            @Override
            public void advanced(long done, long total) {
                bar.advanced(done, total);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }

    Style style() {
        return Style.forTerminal(io.terminal(), io.env());
    }

    Output output() {
        if (output == null) {
            output = json ? new JsonOutput(io.out(), io.err()) : new HumanOutput(io.out(), io.err(), style());
        }
        return output;
    }

    /** The store of {@link #url()} or else {@link #database()}, opened on first use. */
    SessionStore store() {
        if (store == null) {
            String url = url();
            SessionStore opened = url != null ? io.opener().openUrl(url) : io.opener().open(database(), allowForeignOwner);
            store = Objects.requireNonNull(opened, "the store opener returned null");
        }
        return store;
    }

    /**
     * The database chosen by {@code --db}, else {@code $SESSIONS_DB}, when that is a URL
     * ({@code postgresql://…}, {@code jdbc:postgresql:…}; any other scheme is refused by the opener as
     * no adapter's); null when the database is a file, whose path {@link #database()} completes.
     */
    String url() {
        String chosen = db != null ? db : io.env().get("SESSIONS_DB");
        return StorageFactory.isUrl(chosen) ? chosen : null;
    }

    Sessions sessions() {
        return store().sessions();
    }

    /** A whole id as it is; a prefix looked up in the store (unknown: exit 3; ambiguous: exit 5). */
    SessionId resolve(String idOrPrefix) {
        // Checked before the store opens: a malformed id must not create a database file.
        IdPrefix typed = IdPrefix.parse(idOrPrefix);
        return typed.isWholeId() ? typed.lowest() : sessions().resolve(idOrPrefix);
    }

    void closeStore() {
        SessionStore open = store;
        store = null;
        if (open != null) {
            open.close();
        }
    }

    /**
     * The database file, absolute: {@code --db}, else {@code $SESSIONS_DB}, else
     * {@code ~/.claude-signal/sessions.db}. A relative path is relative to the current directory; a
     * leading {@code ~/} is the home directory (for {@code --db=~/x}, which the shell leaves alone).
     */
    Path database() {
        String chosen = db;
        String source = "--db";
        if (chosen == null) {
            String fromEnv = io.env().get("SESSIONS_DB");
            if (fromEnv != null && !fromEnv.isEmpty()) {
                chosen = fromEnv;
                source = "SESSIONS_DB";
            }
        }
        if (chosen == null) {
            return Path.of(System.getProperty("user.home"), ".claude-signal", "sessions.db");
        }
        if (chosen.isBlank()) {
            throw new InvalidInputException(source, "must not be blank");
        }
        if (chosen.equals("~") || chosen.startsWith("~/")) {
            chosen = System.getProperty("user.home") + chosen.substring(1);
        }
        try {
            return Path.of(chosen).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new InvalidInputException(source, "not a valid path: " + e.getMessage());
        }
    }
}
