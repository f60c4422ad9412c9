package io.claudesignal.sessions.adapters.jdbc;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the libraries under the store do on their own, set before they start.
 * Flyway and jOOQ report routine steps at INFO through java.util.logging, and jOOQ prints a banner:
 * onto the standard error of the CLI and into the daemon's log. Only their warnings are kept. An
 * embedder who configured these loggers (or the jOOQ properties) keeps what they chose.
 */
public final class QuietLibraries {

    // Held strongly: java.util.logging forgets a logger's level once nothing references the logger.
    private static final Logger FLYWAY = Logger.getLogger("org.flywaydb");
    private static final Logger JOOQ = Logger.getLogger("org.jooq");

    private QuietLibraries() {
    }

    public static void apply() {
        System.setProperty("org.jooq.no-logo", System.getProperty("org.jooq.no-logo", "true"));
        System.setProperty("org.jooq.no-tips", System.getProperty("org.jooq.no-tips", "true"));
        for (Logger logger : new Logger[] {FLYWAY, JOOQ}) {
            if (logger.getLevel() == null) {
                logger.setLevel(Level.WARNING);
            }
        }
    }
}
