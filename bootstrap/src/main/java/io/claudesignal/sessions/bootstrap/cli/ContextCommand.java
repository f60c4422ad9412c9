package io.claudesignal.sessions.bootstrap.cli;

import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
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
        if (merge.equals("-") || merge.equals("@-")) {
            return read(cli.io().in(), "standard input");
        }
        if (!merge.startsWith("@")) {
            return merge;
        }
        String name = merge.substring(1);
        Path file;
        try {
            file = Path.of(name).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new InvalidInputException("merge", "not a valid path: " + e.getMessage());
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new InvalidInputException("merge", "cannot read " + file + ": " + reason(e));
        }
    }

    private static String read(InputStream in, String source) {
        byte[] bytes;
        try {
            bytes = in.readNBytes(MAX_PATCH_BYTES + 1);
        } catch (IOException e) {
            throw new InvalidInputException("merge", "cannot read " + source + ": " + reason(e));
        }
        if (bytes.length > MAX_PATCH_BYTES) {
            throw new InvalidInputException("merge", source + " is larger than " + MAX_PATCH_BYTES + " bytes");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("merge", source + " is not UTF-8 text");
        }
    }

    private static String reason(IOException e) {
        String name = e.getClass().getSimpleName();
        return switch (name) {
            case "NoSuchFileException" -> "no such file";
            case "AccessDeniedException" -> "permission denied";
            default -> e.getMessage() != null ? e.getMessage() : name;
        };
    }
}
