package io.claudesignal.sessions.bootstrap.cli;

import io.claudesignal.sessions.application.port.in.HealthReport;
import io.claudesignal.sessions.application.port.in.SessionPage;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import java.util.Optional;

/**
 * What commands print, said once: {@link HumanOutput} renders it for people, {@link JsonOutput} for
 * scripts (one JSON document per command on stdout). Errors go to stderr, one line each.
 */
interface Output {

    /**
     * One session. People see its context only when {@code withContext}; scripts always get the whole
     * session.
     */
    void session(Session session, boolean withContext);

    /**
     * A page of a list; {@code nextPage} is the command that continues it, when there is more.
     */
    void page(SessionPage page, Optional<String> nextPage);

    void deleted(SessionId id);

    void health(HealthReport report);

    /** One line on stderr. */
    void error(ExitCode code, String message);
}
