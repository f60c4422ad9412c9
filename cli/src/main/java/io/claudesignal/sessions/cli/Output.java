package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.port.in.StoreSizes;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.CatchUp;
import io.claudesignal.sessions.domain.Transition;
import java.util.List;

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
    void page(SessionPage page, Optional<String> nextPage, boolean longIds);

    /** A page as {@code list} prints it by default: people see ids in their short form. */
    default void page(SessionPage page, Optional<String> nextPage) {
        page(page, nextPage, false);
    }

    void deleted(SessionId id);

    /** The findings of a check, and the store's sizes when they could be read. */
    void health(HealthReport report, Optional<StoreSizes> sizes);

    /** A session's status changes, oldest first. */
    void history(SessionId id, List<Transition> history);

    /** The sessions a crash recovery paused. */
    void recovered(List<SessionId> ids);

    /** A session's activity log, oldest first. */
    void activities(SessionId id, List<Activity> activities);

    /** What happened since the last acknowledgement; {@code acknowledged} when it is now marked seen. */
    void catchUp(CatchUp catchUp, boolean acknowledged);

    /** One line on stderr. */
    void error(ExitCode code, String message);
}
