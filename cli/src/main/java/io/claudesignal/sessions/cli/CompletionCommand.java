package io.claudesignal.sessions.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sessions completion bash|zsh}: the shell completion script, made by picocli's own generator
 * from the commands as they are, with session ids completed from the store (see {@link IdCompletion}).
 */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, synopsisHeading = "Usage: ", descriptionHeading = "%n", parameterListHeading = "%n",
        optionListHeading = "%nOptions:%n",
        description = {
            "Print a completion script for bash or zsh: commands, options and session ids complete with Tab.",
            "Load it in the shell's start-up file:",
            "  bash (~/.bashrc):  source <(sessions completion bash)",
            "  zsh  (~/.zshrc):   source <(sessions completion zsh)",
            "Ids are read from the database the command line names (--db, else $SESSIONS_DB, else the default)."
        })
final class CompletionCommand implements Callable<Integer> {

    /** The shells the script is for; zsh runs the bash script through its bashcompinit. */
    enum Shell { bash, zsh }

    @ParentCommand
    SessionsCli cli;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        // Every command, not only this run's (SessionsCli adds just the one a command line names).
        CommandLine all = SessionsCli.everyCommand(cli.io());
        String script = AutoComplete.bash("sessions", all);
        cli.io().out().print(IdCompletion.addTo(script, all.getCommandSpec()));
        cli.io().out().flush();
        return ExitCode.OK.code();
    }
}
