package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.domain.SessionStatus;
import java.util.Map;

/** ANSI colour for people at a terminal; plain text everywhere else (pipes, files, NO_COLOR, TERM=dumb). */
final class Style {

    private final boolean colour;

    private Style(boolean colour) {
        this.colour = colour;
    }

    static Style plain() {
        return new Style(false);
    }

    /** Colour only when stdout is a terminal, NO_COLOR is unset (or empty) and TERM is not {@code dumb}. */
    static Style forTerminal(boolean terminal, Map<String, String> env) {
        String noColor = env.get("NO_COLOR");
        boolean wanted = terminal
                && (noColor == null || noColor.isEmpty())
                && !"dumb".equals(env.get("TERM"));
        return new Style(wanted);
    }

    boolean colour() {
        return colour;
    }

    String bold(String text) {
        return paint("1", text);
    }

    String dim(String text) {
        return paint("2", text);
    }

    String green(String text) {
        return paint("32", text);
    }

    String red(String text) {
        return paint("31", text);
    }

    String yellow(String text) {
        return paint("33", text);
    }

    String cyan(String text) {
        return paint("36", text);
    }

    /** The status name, coloured by how alive the session is. */
    String status(SessionStatus status, String text) {
        return switch (status) {
            case CREATED -> cyan(text);
            case ACTIVE -> green(text);
            case PAUSED -> yellow(text);
            case TERMINATED -> dim(text);
        };
    }

    private String paint(String code, String text) {
        return colour ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }
}
