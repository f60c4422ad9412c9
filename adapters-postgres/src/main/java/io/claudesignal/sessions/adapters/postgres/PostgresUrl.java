package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.domain.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the database is: a JDBC URL ({@code jdbc:postgresql://host:5432/db?user=u}) or the libpq form
 * ({@code postgresql://u:secret@host:5432/db}, also {@code postgres://}), always held as a JDBC URL.
 * {@link #toString()} never shows a password.
 */
record PostgresUrl(String jdbc) {

    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&]*");

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
        int question = jdbc.indexOf('?');
        if (question < 0) {
            return Optional.empty();
        }
        for (String pair : jdbc.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals("currentSchema")) {
                return Optional.of(decode(pair.substring(equals + 1)));
            }
        }
        return Optional.empty();
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
        String withoutQueryPassword = PASSWORD.matcher(text).replaceAll("$1***");
        // postgresql://user:secret@host → postgresql://user:***@host
        return withoutQueryPassword.replaceFirst("(//[^/:@]*):[^/@]*@", "$1:***@");
    }

    @Override
    public String toString() {
        return redact(jdbc);
    }
}
