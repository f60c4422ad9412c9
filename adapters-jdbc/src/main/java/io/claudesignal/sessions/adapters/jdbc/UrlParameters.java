package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.domain.InvalidInputException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The parameters of a server's JDBC URL ({@code ?a=1&b=2}), where the CLI's only settings come from. */
public final class UrlParameters {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|min|h)?");

    private UrlParameters() {
    }

    /** The (decoded) value of the URL's parameter {@code name}, if it has one. */
    public static Optional<String> get(String url, String name) {
        int question = url.indexOf('?');
        return question < 0 ? Optional.empty() : Arrays.stream(url.substring(question + 1).split("&"))
                .filter(pair -> pair.startsWith(name + "=")).findFirst()
                .map(pair -> decode(pair.substring(name.length() + 1)));
    }

    /**
     * The URL's parameter {@code name} as a duration: {@code 1500ms}, {@code 2s}, {@code 1min},
     * {@code 1h}, or a bare number of milliseconds (PostgreSQL's way).
     *
     * @throws InvalidInputException when it is none of these
     */
    public static Optional<Duration> duration(String url, String name) {
        return get(url, name).map(text -> {
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

    /** {@code url} without the parameters {@code names}. */
    public static String without(String url, Set<String> names) {
        int question = url.indexOf('?');
        if (question < 0) {
            return url;
        }
        String query = Arrays.stream(url.substring(question + 1).split("&"))
                .filter(pair -> !pair.isEmpty() && !names.contains(pair.split("=", 2)[0]))
                .collect(Collectors.joining("&"));
        return url.substring(0, question) + (query.isEmpty() ? "" : "?" + query);
    }

    /** {@code url} with the parameter {@code name} added last, its value encoded. */
    public static String with(String url, String name, String value) {
        return url + (url.indexOf('?') < 0 ? "?" : "&") + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
