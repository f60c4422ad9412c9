package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.domain.SessionId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "context",
        description = {
            "Change a session's context with a JSON merge patch (RFC 7396): keys set to null are removed, "
                    + "objects are merged key by key, anything else replaces what was there.",
            "A patch that changes nothing writes nothing and keeps the version."
        })
final class ContextCommand extends CliCommand {

    /** Larger than any patch the store could accept, small enough not to exhaust memory on a wrong file. */
    static final int MAX_PATCH_BYTES = 4 * ContextJson.DEFAULT_MAX_BYTES;

    @Parameters(paramLabel = "ID", description = "The session id.")
    String id;

    @Option(names = "--merge", paramLabel = "JSON", required = true,
            description = "The patch: a JSON object; @FILE reads it from a file, - or @- from standard input.")
    String merge;

    @Override
    ExitCode execute() {
        SessionId session = id(id);
        String patch = patchText();
        output().session(sessions().mergeContext(session, patch), true);
        return ExitCode.OK;
    }

    private String patchText() {
        return TextArgument.read(merge, "merge", cli.io().in(), MAX_PATCH_BYTES);
    }
}
