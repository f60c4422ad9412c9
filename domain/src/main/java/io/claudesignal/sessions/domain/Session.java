package io.claudesignal.sessions.domain;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * A coding session: a project directory and a Signal thread, the status of the Claude Code process
 * that works for them, and the context (conversation history and the like) carried between turns.
 *
 * <p>Immutable: every change returns a new {@code Session} whose {@link #version()} is one higher.
 * Timestamps are kept to the microsecond, the precision every store can hold exactly.
 *
 * @param context a JSON object as text; {@code "{}"} when new. Its JSON validity is checked by the
 *                application layer, which owns JSON handling; the domain only refuses what is plainly
 *                not an object.
 * @param forkedFrom where the session was forked from ({@code Sessions.fork}); empty for a session
 *                   made by {@code create}. Set once, at creation.
 * @param pinned     kept by retention whatever its age ({@code Maintenance.pin}); an operator's flag,
 *                   not the session's content, so setting it changes neither version nor updatedAt
 */
public record Session(
        SessionId id,
        String projectPath,
        String threadId,
        SessionStatus status,
        String context,
        Instant createdAt,
        Instant updatedAt,
        long version,
        Optional<ForkOrigin> forkedFrom,
        boolean pinned) {

    /** Longest project path accepted, in chars (Linux's PATH_MAX is 4096 bytes). */
    public static final int MAX_PROJECT_PATH_LENGTH = 4096;
    /** Longest thread id accepted, in chars; Signal's ids (phone numbers, group ids) are far shorter. */
    public static final int MAX_THREAD_ID_LENGTH = 256;
    public static final String EMPTY_CONTEXT = "{}";
    /** The context key crash recovery stamps, with the ISO-8601 instant of the recovery. */
    public static final String RECOVERED_AT = "recovered_at";

    public Session {
        Objects.requireNonNull(id, "id");
        validateProjectPath(projectPath);
        validateThreadId(threadId);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(context, "context");
        if (!context.startsWith("{")) {
            throw new InvalidInputException("context", "must be a JSON object");
        }
        createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MICROS);
        updatedAt = Objects.requireNonNull(updatedAt, "updatedAt").truncatedTo(ChronoUnit.MICROS);
        if (updatedAt.isBefore(createdAt)) {
            throw new IllegalArgumentException("updatedAt " + updatedAt + " is before createdAt " + createdAt);
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
        Objects.requireNonNull(forkedFrom, "forkedFrom");
    }

    /** A session that is not pinned. */
    public Session(SessionId id, String projectPath, String threadId, SessionStatus status, String context,
            Instant createdAt, Instant updatedAt, long version, Optional<ForkOrigin> forkedFrom) {
        this(id, projectPath, threadId, status, context, createdAt, updatedAt, version, forkedFrom, false);
    }

    /** A session that was not forked. */
    public Session(SessionId id, String projectPath, String threadId, SessionStatus status, String context,
            Instant createdAt, Instant updatedAt, long version) {
        this(id, projectPath, threadId, status, context, createdAt, updatedAt, version, Optional.empty());
    }

    /** A new session, CREATED, with an empty context, at version 1. */
    public static Session create(SessionId id, String projectPath, String threadId, Instant now) {
        return new Session(id, projectPath, threadId, SessionStatus.CREATED, EMPTY_CONTEXT, now, now, 1);
    }

    /**
     * A new CREATED session at version 1 that starts from {@code parent}: same project and thread, a
     * copy of its context, and {@code forkedFrom} naming it and {@code throughSeq}.
     */
    public static Session forkOf(Session parent, SessionId id, long throughSeq, Instant now) {
        return new Session(id, parent.projectPath, parent.threadId, SessionStatus.CREATED, parent.context, now, now, 1,
                Optional.of(new ForkOrigin(parent.id, throughSeq)));
    }

    /**
     * This session moved to {@code target}.
     *
     * @throws IllegalTransitionException when the lifecycle does not allow it
     */
    public Session transitionTo(SessionStatus target, Instant now) {
        checkTransition(id, status, target);
        return new Session(id, projectPath, threadId, target, context, createdAt, later(now), version + 1, forkedFrom,
                pinned);
    }

    /** This session with its context replaced by {@code newContext} (a JSON object as text). */
    public Session withContext(String newContext, Instant now) {
        return new Session(id, projectPath, threadId, status, newContext, createdAt, later(now), version + 1,
                forkedFrom, pinned);
    }

    /** This session pinned or not; nothing else changes (see {@link #pinned()}). */
    public Session withPinned(boolean pin) {
        return new Session(id, projectPath, threadId, status, context, createdAt, updatedAt, version, forkedFrom, pin);
    }

    /** The session without its context, as lists show it. */
    public SessionSummary summary() {
        return new SessionSummary(id, projectPath, threadId, status, createdAt, updatedAt, version, pinned);
    }

    /** Refuses a pair of statuses the lifecycle does not allow. */
    public static void checkTransition(SessionId id, SessionStatus from, SessionStatus to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.canTransitionTo(to)) {
            throw new IllegalTransitionException(id, from, to);
        }
    }

    // A clock that steps back (NTP, a VM resumed) must not make a change look older than the last one.
    private Instant later(Instant now) {
        return now.isAfter(updatedAt) ? now : updatedAt;
    }

    public static void validateProjectPath(String projectPath) {
        String field = "projectPath";
        requireText(field, projectPath, MAX_PROJECT_PATH_LENGTH);
        try {
            if (!Path.of(projectPath).isAbsolute()) {
                throw new InvalidInputException(field, "must be an absolute path: " + Texts.quote(projectPath, 80));
            }
        } catch (InvalidPathException e) {
            throw new InvalidInputException(field, "not a valid path: " + Texts.quote(projectPath, 80));
        }
    }

    public static void validateThreadId(String threadId) {
        requireText("threadId", threadId, MAX_THREAD_ID_LENGTH);
    }

    private static void requireText(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "must not be blank");
        }
        if (value.length() > maxLength) {
            throw new InvalidInputException(field, "longer than " + maxLength + " characters (" + value.length() + ")");
        }
        if (Texts.hasControlCharacter(value)) {
            throw new InvalidInputException(field, "must not contain control characters: " + Texts.quote(value, 80));
        }
        if (!Texts.isWellFormed(value)) {
            throw new InvalidInputException(field, "is not valid Unicode (lone surrogate): " + Texts.quote(value, 80));
        }
    }
}
