package io.claudesignal.sessions.domain;

/**
 * A decision on an approval that was decided otherwise already, expired or was cancelled: the one
 * decision stands, and nothing was written. The message names the recorded state.
 */
public final class ApprovalConflictException extends ConflictException {

    private final ApprovalId approvalId;
    private final Approval.State recorded;
    private final Approval.Decision refused;

    public ApprovalConflictException(Approval current, Approval.Decision refused) {
        super(current.sessionId(), "approval " + current.id() + " is " + current.state()
                + (current.decidedBy().map(by -> " (by " + by + ")").orElse(""))
                + " already; it cannot be " + refused.state() + " now");
        this.approvalId = current.id();
        this.recorded = current.state();
        this.refused = refused;
    }

    public ApprovalId approvalId() {
        return approvalId;
    }

    /** The state the approval is in, which stands. */
    public Approval.State recorded() {
        return recorded;
    }

    /** The decision that was refused. */
    public Approval.Decision refused() {
        return refused;
    }
}
