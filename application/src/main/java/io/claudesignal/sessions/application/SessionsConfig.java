package io.claudesignal.sessions.application;

import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.InvalidInputException;
import java.time.Duration;
import java.util.Objects;

/**
 * How one handle on the store behaves: who it writes as, and the lease, activity-log and transcript settings.
 *
 * @param actor             recorded with every status change; a daemon's leases are held in its name
 * @param leaseDuration     how long a lease lasts without renewal; also how long an ACTIVE session
 *                          with no lease at all is left alone by recovery (so that the CLI's
 *                          {@code activate} is not undone by a daemon starting at that moment)
 * @param heartbeatInterval how often a daemon renews its leases; well under {@code leaseDuration}
 * @param activityLimit     how many of the newest activities each session's log keeps
 * @param transcriptItemLimit largest transcript item accepted, in UTF-8 bytes
 * @param storeNamesDaemon  true for {@link #daemon()}: the store completes the daemon's name with its own
 *                          tag ({@code daemon:<host>@<store tag>}), see {@link #daemon()}
 * @param approvalTimeout   how long an approval waits for a decision when its request names no timeout
 * @param messages          the inbox's bound and the outbox's retries (see docs/messages.md)
 */
public record SessionsConfig(Actor actor, Duration leaseDuration, Duration heartbeatInterval, int activityLimit,
        int transcriptItemLimit, boolean storeNamesDaemon, Duration approvalTimeout, MessagesConfig messages) {

    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(30);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_ACTIVITY_LIMIT = 100;
    public static final int MAX_ACTIVITY_LIMIT = 100_000;
    /** 1 MiB: a long tool result fits, a runaway one does not fill the disk one turn at a time. */
    public static final int DEFAULT_TRANSCRIPT_ITEM_LIMIT = 1024 * 1024;
    /** The largest item limit that may be set: the size of the whole context (see {@code ContextJson}). */
    public static final int MAX_TRANSCRIPT_ITEM_LIMIT = 16 * 1024 * 1024;
    /** As the first daemon had it: a question nobody answers in ten minutes is no longer asked. */
    public static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofMinutes(10);

    public SessionsConfig {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(messages, "messages");
        if (leaseDuration.toMillis() < 1) {
            throw new InvalidInputException("leaseDuration", "must be at least 1 ms, was " + leaseDuration);
        }
        if (heartbeatInterval.toMillis() < 1 || heartbeatInterval.compareTo(leaseDuration) >= 0) {
            throw new InvalidInputException("heartbeatInterval", "must be positive and shorter than the lease ("
                    + leaseDuration + "), was " + heartbeatInterval);
        }
        if (activityLimit < 1 || activityLimit > MAX_ACTIVITY_LIMIT) {
            throw new InvalidInputException("activityLimit", "must be 1 to " + MAX_ACTIVITY_LIMIT + ", was " + activityLimit);
        }
        if (transcriptItemLimit < 2 || transcriptItemLimit > MAX_TRANSCRIPT_ITEM_LIMIT) {
            throw new InvalidInputException("transcriptItemLimit", "must be 2 to " + MAX_TRANSCRIPT_ITEM_LIMIT
                    + " bytes, was " + transcriptItemLimit);
        }
        Approval.validateTimeout(approvalTimeout);
    }

    /** With the default approval timeout and the default inbox and outbox settings. */
    public SessionsConfig(Actor actor, Duration leaseDuration, Duration heartbeatInterval, int activityLimit,
            int transcriptItemLimit, boolean storeNamesDaemon) {
        this(actor, leaseDuration, heartbeatInterval, activityLimit, transcriptItemLimit, storeNamesDaemon,
                DEFAULT_APPROVAL_TIMEOUT, MessagesConfig.DEFAULTS);
    }

    /** With the default transcript item limit. */
    public SessionsConfig(Actor actor, Duration leaseDuration, Duration heartbeatInterval, int activityLimit) {
        this(actor, leaseDuration, heartbeatInterval, activityLimit, DEFAULT_TRANSCRIPT_ITEM_LIMIT);
    }

    /** With the name of a daemon given in full ({@code actor}). */
    public SessionsConfig(Actor actor, Duration leaseDuration, Duration heartbeatInterval, int activityLimit,
            int transcriptItemLimit) {
        this(actor, leaseDuration, heartbeatInterval, activityLimit, transcriptItemLimit, false);
    }

    /** The defaults, writing as {@code actor}. */
    public static SessionsConfig of(Actor actor) {
        return new SessionsConfig(actor, DEFAULT_LEASE_DURATION, DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_ACTIVITY_LIMIT);
    }

    /** The defaults for the command-line tool. */
    public static SessionsConfig cli() {
        return of(Actor.CLI);
    }

    /**
     * The defaults for the daemon named {@code name} ({@code daemon:<name>}). The name stays the same
     * across restarts; each start is a new incarnation that fences the older ones at once (their
     * sessions are returned by the first {@code recover()}). Two live processes must not share a name
     * on one database: the second one's open is refused with a
     * {@link io.claudesignal.sessions.domain.DaemonRunningException}.
     */
    public static SessionsConfig daemon(String name) {
        return of(Actor.daemon(name));
    }

    /**
     * The defaults for a daemon named after this host and the database: {@code daemon:<host>@<tag>},
     * where {@code <host>} is {@link #hostName()} and {@code <tag>} the store's tag (8 hex digits of
     * the SHA-256 of the SQLite file's real path, or of PostgreSQL's {@code host:port/database/schema};
     * see {@code docs/leases.md}). Stable across restarts on one host, like {@link #daemon(String)}.
     * {@link #actor()} says {@code daemon:<host>} until a store completes it.
     */
    public static SessionsConfig daemon() {
        SessionsConfig base = of(Actor.daemon(hostName()));
        return new SessionsConfig(base.actor, base.leaseDuration, base.heartbeatInterval, base.activityLimit,
                base.transcriptItemLimit, true, base.approvalTimeout, base.messages);
    }

    /**
     * This host's name as a daemon's default name uses it: {@code $HOSTNAME}, else the name the
     * network configuration gives, else {@code localhost}; cut to 64 characters.
     */
    public static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException | RuntimeException e) {
                name = null;
            }
        }
        if (name == null || name.isBlank() || !name.codePoints().allMatch(c -> c > 0x20 && c < 0x7f)) {
            name = "localhost";
        }
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    /** This configuration with the daemon's name completed by the store's tag (only for {@link #daemon()}). */
    public SessionsConfig forStore(String storeTag) {
        if (!storeNamesDaemon) {
            return this;
        }
        return new SessionsConfig(new Actor(actor.value() + "@" + storeTag), leaseDuration, heartbeatInterval,
                activityLimit, transcriptItemLimit, false, approvalTimeout, messages);
    }

    public SessionsConfig withActor(Actor newActor) {
        return new SessionsConfig(newActor, leaseDuration, heartbeatInterval, activityLimit, transcriptItemLimit, false,
                approvalTimeout, messages);
    }

    public SessionsConfig withLease(Duration duration, Duration heartbeat) {
        return new SessionsConfig(actor, duration, heartbeat, activityLimit, transcriptItemLimit, storeNamesDaemon,
                approvalTimeout, messages);
    }

    public SessionsConfig withActivityLimit(int limit) {
        return new SessionsConfig(actor, leaseDuration, heartbeatInterval, limit, transcriptItemLimit, storeNamesDaemon,
                approvalTimeout, messages);
    }

    public SessionsConfig withTranscriptItemLimit(int bytes) {
        return new SessionsConfig(actor, leaseDuration, heartbeatInterval, activityLimit, bytes, storeNamesDaemon,
                approvalTimeout, messages);
    }

    /** How long an approval waits for a decision when its request names no timeout (10 minutes by default). */
    public SessionsConfig withApprovalTimeout(Duration timeout) {
        return new SessionsConfig(actor, leaseDuration, heartbeatInterval, activityLimit, transcriptItemLimit,
                storeNamesDaemon, timeout, messages);
    }

    /** With these inbox and outbox settings. */
    public SessionsConfig withMessages(MessagesConfig newMessages) {
        return new SessionsConfig(actor, leaseDuration, heartbeatInterval, activityLimit, transcriptItemLimit,
                storeNamesDaemon, approvalTimeout, newMessages);
    }
}
