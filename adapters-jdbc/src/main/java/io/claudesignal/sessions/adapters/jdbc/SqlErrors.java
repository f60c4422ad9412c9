package io.claudesignal.sessions.adapters.jdbc;

/** What the SQL adapters' error translations share: the words of the error at the bottom of a chain. */
public final class SqlErrors {

    private SqlErrors() {
    }

    /** The first line of the root cause's message, or its type when it has none. */
    public static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
}
