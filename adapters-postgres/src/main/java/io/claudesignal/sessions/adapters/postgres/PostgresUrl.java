package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.application.port.out.StorageFactory;
import io.claudesignal.sessions.domain.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the database is: a JDBC URL ({@code jdbc:postgresql://host:5432/db?user=u}) or the libpq form
 * ({@code postgresql://u:secret@host:5432/db}, also {@code postgres://}), always held as a JDBC URL.
 * {@link #toString()} never shows a password.
 */
record PostgresUrl(String jdbc) {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|min|h)?");
    // The driver's parameter for start-up options; the store puts its server timeouts there.
    private static final String OPTIONS = "options";

    PostgresUrl {
        Objects.requireNonNull(jdbc, "jdbc");
    }

    /** True when {@code text} names a PostgreSQL database rather than a file. */
    static boolean isPostgres(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.startsWith("jdbc:postgresql:") || lower.startsWith("postgresql://") || lower.startsWith("postgres://");
    }

    /**
     * @throws InvalidInputException when {@code text} is neither form
     */
    static PostgresUrl parse(String text) {
        Objects.requireNonNull(text, "url");
        if (text.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:")) {
            return new PostgresUrl(text);
        }
        if (!isPostgres(text)) {
            throw new InvalidInputException("db", "not a PostgreSQL URL (jdbc:postgresql://… or postgresql://…): "
                    + redact(text));
        }
        try {
            URI uri = new URI(text);
            if (uri.getHost() == null) {
                throw new InvalidInputException("db", "no host in " + redact(text));
            }
            StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getRawAuthority().replaceFirst(".*@", ""));
            jdbc.append(uri.getRawPath() == null ? "/" : uri.getRawPath());
            StringBuilder query = new StringBuilder(uri.getRawQuery() == null ? "" : uri.getRawQuery());
            String userInfo = uri.getRawUserInfo();
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
                appendParameter(query, "user", user);
                if (colon >= 0) {
                    appendParameter(query, "password", decode(userInfo.substring(colon + 1)));
                }
            }
            if (!query.isEmpty()) {
                jdbc.append('?').append(query);
            }
            return new PostgresUrl(jdbc.toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new InvalidInputException("db", "not a valid PostgreSQL URL: " + redact(text));
        }
    }

    /** The {@code currentSchema} parameter of the URL, if it has one. */
    Optional<String> currentSchema() {
        return parameter("currentSchema");
    }

    /** The (decoded) value of the URL's parameter {@code name}, if it has one. */
    Optional<String> parameter(String name) {
        int question = jdbc.indexOf('?');
        if (question < 0) {
            return Optional.empty();
        }
        for (String pair : jdbc.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return Optional.of(decode(pair.substring(equals + 1)));
            }
        }
        return Optional.empty();
    }

    /**
     * The URL's parameter {@code name} as a duration, PostgreSQL's way: {@code 1500ms}, {@code 2s},
     * {@code 1min}, {@code 1h}, or a bare number of milliseconds.
     *
     * @throws InvalidInputException when it is there but not such a duration
     */
    Optional<Duration> duration(String name) {
        return parameter(name).map(text -> {
            Matcher m = DURATION.matcher(text.strip());
            if (!m.matches()) {
                throw new InvalidInputException("db", "URL parameter " + name + " must be a duration such as 1500ms,"
                        + " 2s, 1min or 1h, was " + text);
            }
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2) == null ? "ms" : m.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "min" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofMillis(amount);
            };
        });
    }

    /** This URL without the parameters {@code names} (ours, which the driver should not see). */
    PostgresUrl without(Set<String> names) {
        int question = jdbc.indexOf('?');
        if (question < 0) {
            return this;
        }
        StringBuilder query = new StringBuilder();
        for (String pair : jdbc.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (!pair.isEmpty() && !names.contains(key)) {
                query.append(query.isEmpty() ? "" : "&").append(pair);
            }
        }
        return new PostgresUrl(jdbc.substring(0, question) + (query.isEmpty() ? "" : "?" + query));
    }

    /**
     * This URL with {@code options} (the server's command-line options, such as {@code -c lock_timeout=5000})
     * sent at connection start-up, before any the URL already had, so that the URL's own win. Every
     * connection opened with the URL gets them, the pool's and those the store opens on its own alike.
     */
    PostgresUrl withStartupOptions(String options) {
        String merged = parameter(OPTIONS).map(own -> options + " " + own).orElse(options);
        StringBuilder query = new StringBuilder();
        appendParameter(query, OPTIONS, merged);
        PostgresUrl rest = without(Set.of(OPTIONS));
        return new PostgresUrl(rest.jdbc + (rest.jdbc.indexOf('?') < 0 ? "?" : "&") + query);
    }

    private static void appendParameter(StringBuilder query, String key, String value) {
        if (!query.isEmpty()) {
            query.append('&');
        }
        query.append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** {@code text} with any password replaced, fit for messages and logs. */
    static String redact(String text) {
        return StorageFactory.redact(text);
    }

    /** Without a password, and without the start-up options, which would make every message long. */
    @Override
    public String toString() {
        return redact(without(Set.of(OPTIONS)).jdbc);
    }
}
