package io.claudesignal.sessions.domain;

/** No reply with this id is in the outbox (it never was, or its session was deleted). */
public final class ReplyNotFoundException extends SessionsException {

    private final long replyId;

    public ReplyNotFoundException(long replyId) {
        super("no reply " + replyId + " in the outbox");
        this.replyId = replyId;
    }

    public long replyId() {
        return replyId;
    }
}
