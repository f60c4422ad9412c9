package io.claudesignal.sessions.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place where failures become exit codes and messages: one line on stderr, prefixed
 * {@code sessions: } (a JSON object with {@code --json}), and a stack trace only with {@code --debug}.
 */
final class Failures implements IExecutionExceptionHandler, IParameterExceptionHandler {

    private final SessionsCli cli;

    Failures(SessionsCli cli) {
        this.cli = cli;
    }

    /** Parse errors: unknown command or option, missing or malformed argument. */
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine where = ex.getCommandLine();
        StringBuilder message = new StringBuilder(oneLine(ex.getMessage()));
        if (ex instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                message.append(" (did you mean ").append(String.join(" or ", suggestions)).append("?)");
            }
        }
        message.append(" (see '").append(where.getCommandSpec().qualifiedName()).append(" --help')");
        // The parse stopped early, so --json may not have been read yet: look for it in the arguments.
        boolean json = cli.json || List.of(args).contains("--json");
        Output output = json ? new JsonOutput(cli.io().out(), cli.io().err())
                : new HumanOutput(cli.io().out(), cli.io().err(), Style.plain());
        output.error(ExitCode.USAGE, message.toString());
        if (cli.debug()) {
            ex.printStackTrace(cli.io().err());
        }
        return ExitCode.USAGE.code();
    }

    /** What a command threw. */
    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        return report(ex);
    }

    int report(Throwable failure) {
        ExitCode code = ExitCode.of(failure);
        cli.output().error(code, message(code, failure));
        if (cli.debug()) {
            failure.printStackTrace(cli.io().err());
        }
        cli.io().err().flush();
        return code.code();
    }

    private String message(ExitCode code, Throwable failure) {
        Throwable decisive = ExitCode.decisive(failure);
        if (code == ExitCode.UNEXPECTED) {
            String text = decisive.getMessage() == null ? decisive.getClass().getName()
                    : decisive.getClass().getName() + ": " + oneLine(decisive.getMessage());
            return "unexpected error: " + text + (cli.debug() ? "" : " (run again with --debug for details)");
        }
        return oneLine(String.valueOf(decisive.getMessage()));
    }

    static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
