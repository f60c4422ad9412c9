package io.claudesignal.sessions.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Adds ids to picocli's generated completion script. The generator completes commands and options and
 * knows nothing of a store, so each command whose first parameter is an id gets one line in its
 * function that asks {@code sessions __complete-ids --of KIND} (with the {@code --db} of the command
 * line being completed) for the ids that start with the word under the cursor: session ids for an
 * {@code ID}, approval ids for {@code approve} and {@code reject}, reply numbers for {@code outbox retry}.
 */
final class IdCompletion {

    /** Marks picocli's empty list of positional candidates; every generated command function has it. */
    private static final String POSITIONALS = "    local positionals=\"\"\n";

    // The --db of the line being completed is passed on, so that ids come from the store it names;
    // bash splits "--db=x" into "--db", "=", "x". Errors are dropped: they would garble the prompt.
    private static final String HELPER = """

            # The ids of kind $2 (sessions, approvals, replies) that start with $1: asks the store the
            # command line names.
            function _sessions_complete_ids() {
              local db_args=() i
              for (( i=1; i<COMP_CWORD; i++ )); do
                if [[ "${COMP_WORDS[i]}" == "--db" ]]; then
                  if [[ "${COMP_WORDS[i+1]}" == "=" ]]; then db_args=(--db "${COMP_WORDS[i+2]}"); else db_args=(--db "${COMP_WORDS[i+1]}"); fi
                elif [[ "${COMP_WORDS[i]}" == --db=* ]]; then
                  db_args=("${COMP_WORDS[i]}")
                fi
              done
              "${COMP_WORDS[0]}" ${db_args[@]+"${db_args[@]}"} __complete-ids --of "$2" -- "$1" 2>/dev/null
            }

            # Whether the word under the cursor is the first parameter of command $1, whose options
            # that take a value are $2; picocli's own count takes "--db" "=" "x" for parameters.
            function _sessions_id_wanted() {
              local i word seen=0
              for (( i=COMP_CWORD-1; i>0; i-- )); do [[ "${COMP_WORDS[i]}" == "$1" ]] && break; done
              for (( i=i+1; i<COMP_CWORD; i++ )); do
                word=${COMP_WORDS[i]}
                if [[ "$word" == "=" ]]; then (( i++ )); continue; fi
                if [[ "$word" == -* ]]; then
                  if [[ "$word" != *=* && " $2 " == *" '$word' "* && "${COMP_WORDS[i+1]}" != "=" ]]; then (( i++ )); fi
                  continue
                fi
                (( seen++ ))
              done
              (( seen == 0 ))
            }
            """;

    private IdCompletion() {
    }

    /** What a command's first parameter names, as {@code __complete-ids --of} takes it. */
    enum Kind {
        SESSIONS, APPROVALS, REPLIES;

        String option() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code script} (picocli's, for {@code root}) with ids completed for every ID parameter. */
    static String addTo(String script, CommandSpec root) {
        String result = script;
        for (Map.Entry<CommandSpec, Kind> taking : takingAnId(root).entrySet()) {
            CommandSpec command = taking.getKey();
            // As picocli names the functions: "catch-up" is _picocli_sessions_catchup.
            String function = "function _picocli_" + command.qualifiedName("_").replaceAll("[^A-Za-z0-9_]", "") + "() {\n";
            int start = result.indexOf(function);
            int at = start < 0 ? -1 : result.indexOf(POSITIONALS, start);
            if (at < 0) {
                throw new IllegalStateException("picocli's completion script changed shape: no "
                        + function.strip() + " with a list of positionals");
            }
            String ids = "    if _sessions_id_wanted \"" + command.name() + "\" \"${arg_opts}\"; then"
                    + " positionals=$(_sessions_complete_ids \"${curr_word}\" " + taking.getValue().option() + "); fi\n";
            at += POSITIONALS.length();
            result = result.substring(0, at) + ids + result.substring(at);
        }
        return result + HELPER;
    }

    /** The commands, at any depth, whose first positional parameter is an id, and what it names. */
    static Map<CommandSpec, Kind> takingAnId(CommandSpec root) {
        Map<CommandSpec, Kind> found = new LinkedHashMap<>();
        for (CommandLine sub : root.subcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            if (found.containsKey(spec) || spec.usageMessage().hidden()) {
                continue;
            }
            kindOf(spec).ifPresent(kind -> found.put(spec, kind));
            found.putAll(takingAnId(spec));
        }
        return found;
    }

    // approve and reject label their approval id ID too: the label alone cannot tell the kinds apart.
    private static Optional<Kind> kindOf(CommandSpec spec) {
        if (spec.userObject() instanceof ApprovalsCommand.Decide) {
            return Optional.of(Kind.APPROVALS);
        }
        if (spec.userObject() instanceof OutboxCommand.Retry) {
            return Optional.of(Kind.REPLIES);
        }
        List<PositionalParamSpec> positionals = spec.positionalParameters();
        return !positionals.isEmpty() && positionals.get(0).paramLabel().equals("ID") ? Optional.of(Kind.SESSIONS)
                : Optional.empty();
    }
}
