package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.InvalidInputException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Opens an adapter's storage from a location string (a file path, a database URL), so that callers
 * choosing storage by configuration (the CLI's {@code --db}, {@code SessionStore.open(location, …)})
 * need not name any adapter. An adapter registers its factory for {@link java.util.ServiceLoader} in
 * {@code META-INF/services/io.claudesignal.sessions.application.port.out.StorageFactory}.
 *
 * <p>The loader instantiates every registered factory and asks {@link #accepts}: both must be cheap
 * and load none of the adapter's driver, so that choosing costs nothing of the adapters not chosen.
 */
public interface StorageFactory {

    /** A short name for messages and docs ({@code sqlite}, {@code postgresql}). */
    String name();

    /** True when {@code location} names storage of this adapter's kind; never throws. */
    boolean accepts(String location);

    /**
     * Opens (creating or migrating as the adapter does) the storage at {@code location}.
     *
     * @param settings the adapter's settings by name (each adapter documents its names), for what the
     *                 location cannot carry; an unknown name or a malformed value is refused
     * @param metrics  where the adapter reports its own figures (group commits, lock waits)
     * @throws InvalidInputException when {@code location} or a setting is malformed
     * @throws io.claudesignal.sessions.domain.StorageException when the storage cannot be opened
     */
    StorageAdapter open(String location, Map<String, String> settings, StoreMetrics metrics);

    /**
     * True when {@code location} is a URL ({@code scheme://…}, or {@code jdbc:…}) rather than a file
     * path. One rule for every file-based adapter and for the CLI, which expands {@code ~} and relative
     * paths only in paths. A scheme has two letters at least, so {@code C:/x} stays a path.
     */
    static boolean isUrl(String location) {
        if (location == null) {
            return false;
        }
        if (location.toLowerCase(Locale.ROOT).startsWith("jdbc:")) {
            return true;
        }
        int end = location.indexOf("://");
        return end >= 2 && isScheme(location.substring(0, end));
    }

    /** RFC 3986: a letter, then letters, digits, {@code +}, {@code -} or {@code .}. */
    private static boolean isScheme(String text) {
        if (!Character.isLetter(text.charAt(0))) {
            return false;
        }
        return text.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.'));
    }

    /**
     * {@code location} with any password replaced ({@code password=…} in the query, {@code user:secret@}
     * before the host), fit for messages and logs: a refused location may hold one.
     */
    static String redact(String location) {
        return location.replaceAll("(?i)(password=)[^&]*", "$1***").replaceFirst("(//[^/:@]*):[^/@]*@", "$1:***@");
    }

    /** Refuses, naming it, a setting {@code adapter} does not know: a misspelt one must not be ignored. */
    static void requireKnown(Map<String, String> settings, Set<String> known, String adapter) {
        for (String name : settings.keySet()) {
            if (!known.contains(name)) {
                String takes = known.isEmpty() ? "none" : String.join(", ", known.stream().sorted().toList());
                throw new InvalidInputException(name, "not a setting of the " + adapter + " storage (it takes "
                        + takes + ")");
            }
        }
    }

    /** The boolean setting {@code name}, {@code fallback} when absent; anything but true or false is refused. */
    static boolean flag(Map<String, String> settings, String name, boolean fallback) {
        String value = settings.get(name);
        if (value == null) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidInputException(name, "must be true or false, not '" + value + "'");
        };
    }
}
