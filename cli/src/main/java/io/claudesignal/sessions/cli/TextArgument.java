package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.domain.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A text argument that may be given inline, as {@code @FILE}, or as {@code -} / {@code @-} for
 * standard input; read as strict UTF-8 up to a bound, so that a wrong file cannot exhaust memory.
 */
final class TextArgument {

    private TextArgument() {
    }

    /**
     * The text {@code argument} stands for.
     *
     * @param field named in the error when it cannot be read
     * @throws InvalidInputException for an unreadable or non-UTF-8 source, or one over {@code maxBytes}
     */
    static String read(String argument, String field, InputStream stdin, int maxBytes) {
        if (argument.equals("-") || argument.equals("@-")) {
            return read(stdin, "standard input", field, maxBytes);
        }
        if (!argument.startsWith("@")) {
            return argument;
        }
        Path file;
        try {
            file = Path.of(argument.substring(1)).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new InvalidInputException(field, "not a valid path: " + e.getMessage());
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), field, maxBytes);
        } catch (IOException e) {
            throw new InvalidInputException(field, "cannot read " + file + ": " + reason(e));
        }
    }

    private static String read(InputStream in, String source, String field, int maxBytes) {
        byte[] bytes;
        try {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new InvalidInputException(field, "cannot read " + source + ": " + reason(e));
        }
        if (bytes.length > maxBytes) {
            throw new InvalidInputException(field, source + " is larger than " + maxBytes + " bytes");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(field, source + " is not UTF-8 text");
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
