package io.claudesignal.sessions.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * A permission Claude asked for in a session (a tool call, typically), and the one decision on it.
 * It is {@link State#PENDING} until someone decides it ({@link State#APPROVED}, {@link State#REJECTED}),
 * its deadline passes ({@link State#EXPIRED}: a pending approval past its deadline reads as expired,
 * see {@link #asOf}) or its session leaves ACTIVE ({@link State#CANCELLED}). Every state but PENDING is
 * final: an approval is decided at most once.
 *
 * @param seq         its number among its session's approvals, from 1 in request order
 * @param key         the idempotency key it was requested with (the tool call's id): unique in its session
 * @param request     what is asked, a JSON object, exactly as requested
 * @param requestedBy who asked (the daemon)
 * @param expiresAt   its deadline: pending at or after it, it is {@link State#EXPIRED}
 * @param decidedAt   when it reached its final state (for EXPIRED: its deadline)
 * @param decidedBy   who decided it, or who cancelled it by moving its session out of ACTIVE
 * @param note        what the decider said, if anything
 */
public record Approval(ApprovalId id, SessionId sessionId, long seq, String key, String request, State state,
        Actor requestedBy, Instant requestedAt, Instant expiresAt, Optional<Instant> decidedAt,
        Optional<Actor> decidedBy, Optional<String> note) {

    /** Longest note accepted, in chars: a sentence or two, not a document. */
    public static final int MAX_NOTE_LENGTH = 4_000;
    /** Longest timeout accepted: an approval is a question for a person, not a calendar entry. */
    public static final Duration MAX_TIMEOUT = Duration.ofDays(30);

    public enum State {
        PENDING, APPROVED, REJECTED, EXPIRED, CANCELLED;

        /** Whether no decision can change it any more. */
        public boolean isFinal() {
            return this != PENDING;
        }
    }

    /** What a person can decide. */
    public enum Decision {
        APPROVE(State.APPROVED), REJECT(State.REJECTED);

        private final State state;

        Decision(State state) {
            this.state = state;
        }

        /** The state this decision leaves the approval in. */
        public State state() {
            return state;
        }
    }

    public Approval {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sessionId, "sessionId");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be at least 1, was " + seq);
        }
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(requestedBy, "requestedBy");
        requestedAt = Objects.requireNonNull(requestedAt, "requestedAt").truncatedTo(ChronoUnit.MICROS);
        expiresAt = Objects.requireNonNull(expiresAt, "expiresAt").truncatedTo(ChronoUnit.MICROS);
        decidedAt = Objects.requireNonNull(decidedAt, "decidedAt").map(at -> at.truncatedTo(ChronoUnit.MICROS));
        Objects.requireNonNull(decidedBy, "decidedBy");
        Objects.requireNonNull(note, "note");
    }

    /** A new approval, PENDING until {@code at + timeout}. */
    public static Approval requested(ApprovalId id, SessionId sessionId, long seq, String key, String request,
            Actor by, Instant at, Duration timeout) {
        return new Approval(id, sessionId, seq, key, request, State.PENDING, by, at, at.plus(timeout),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * This approval as it reads at {@code now}: a PENDING one whose deadline has come is EXPIRED (decided
     * at its deadline, by nobody); any other is itself.
     */
    public Approval asOf(Instant now) {
        if (state != State.PENDING || now.isBefore(expiresAt)) {
            return this;
        }
        return new Approval(id, sessionId, seq, key, request, State.EXPIRED, requestedBy, requestedAt, expiresAt,
                Optional.of(expiresAt), Optional.empty(), Optional.empty());
    }

    /** Whether it still waits for a decision at {@code now}. */
    public boolean isPendingAt(Instant now) {
        return asOf(now).state == State.PENDING;
    }

    /**
     * The one decision, as every store applies it to the approval it holds at {@code now}: a pending
     * approval takes the decision; the same decision again returns the approval as recorded, unchanged
     * (its first note and decider kept); any other (or any at all after it expired or was cancelled) is
     * refused.
     *
     * @return the approval decided now, or the one recorded earlier (the same instance as {@code asOf(now)})
     * @throws ApprovalConflictException naming the recorded state
     */
    public Approval decide(Decision decision, Actor by, Optional<String> withNote, Instant now) {
        Approval current = asOf(now);
        if (current.state == State.PENDING) {
            return new Approval(id, sessionId, seq, key, request, decision.state(), requestedBy, requestedAt, expiresAt,
                    Optional.of(now), Optional.of(by), withNote);
        }
        if (current.state == decision.state()) {
            return current;
        }
        throw new ApprovalConflictException(current, decision);
    }

    /** This pending approval cancelled at {@code at} by {@code by}, its session having left ACTIVE; or expired, if it had. */
    public Approval cancelled(Actor by, Instant at) {
        Approval current = asOf(at);
        if (current.state != State.PENDING) {
            return current;
        }
        return new Approval(id, sessionId, seq, key, request, State.CANCELLED, requestedBy, requestedAt, expiresAt,
                Optional.of(at), Optional.of(by), Optional.empty());
    }

    /** Refuses a blank or over-long key, or one with control characters (as a transcript item's key). */
    public static void validateKey(String key) {
        TranscriptItem.validateKey(key);
    }

    /** Refuses a note over {@link #MAX_NOTE_LENGTH} chars, or with control characters other than newline and tab. */
    public static void validateNote(String note) {
        if (note == null || note.length() > MAX_NOTE_LENGTH || !Texts.isWellFormed(note)
                || note.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
            throw new InvalidInputException("note", "must be at most " + MAX_NOTE_LENGTH
                    + " printable characters (newlines and tabs allowed): " + Texts.quote(note, 60));
        }
    }

    /** Refuses a timeout that is not positive or is over {@link #MAX_TIMEOUT}. */
    public static void validateTimeout(Duration timeout) {
        if (timeout == null || timeout.toMillis() < 1 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new InvalidInputException("timeout", "must be 1 ms to " + MAX_TIMEOUT.toDays() + " days, was " + timeout);
        }
    }
}
