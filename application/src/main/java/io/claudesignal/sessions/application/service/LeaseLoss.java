package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.application.port.out.LeaseRepository;
import io.claudesignal.sessions.application.port.out.SessionRepository;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.Transition;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What happened to a lost lease, told from what the store recorded: the lease row that replaced it
 * (another daemon's claim, a newer incarnation's fencing, the same token expired) or, when there is
 * none, the session's last status change (paused or terminated by {@code cli}, recovered by a daemon).
 * Read right after the refused write, outside its transaction: it explains, it decides nothing.
 */
final class LeaseLoss {

    private LeaseLoss() {
    }

    static String explain(Lease lost, LeaseRepository leases, SessionRepository sessions) {
        try {
            Optional<Lease> stored = leases.find(lost.sessionId());
            if (stored.isPresent()) {
                return fromLease(lost, stored.get(), leases);
            }
            List<Transition> history = sessions.history(lost.sessionId());
            if (history.isEmpty()) {
                return "no lease is stored any more";
            }
            Transition last = history.get(history.size() - 1);
            if (last.to() == SessionStatus.ACTIVE) {
                return "no lease is stored any more: released, or the session left ACTIVE and was resumed since"
                        + " (last change: " + describe(last) + ")";
            }
            return describe(last);
        } catch (RuntimeException e) {
            // The session may have been deleted meanwhile, or the store be failing: the refusal stands.
            return "the store could not say how (" + e.getMessage() + ")";
        }
    }

    private static String fromLease(Lease lost, Lease stored, LeaseRepository leases) {
        if (!stored.owner().equals(lost.owner())) {
            return "claimed by " + stored.owner() + " after it expired at " + lost.expiresAt()
                    + "; that lease runs until " + stored.expiresAt();
        }
        if (stored.token() == LeaseRepository.FENCED_TOKEN) {
            return "fenced by a newer incarnation of " + lost.owner() + " (incarnation "
                    + leases.incarnation(lost.owner()) + " started since)";
        }
        if (stored.token() == lost.token()) {
            return "expired at " + stored.expiresAt() + " without renewal";
        }
        return "claimed again by another handle of " + lost.owner() + " (the lease runs until " + stored.expiresAt() + ")";
    }

    private static String describe(Transition t) {
        String what = Transition.CRASH_RECOVERY.equals(t.reason()) ? "recovered (crash-recovery)"
                : t.to().name().toLowerCase(Locale.ROOT) + (Transition.USER.equals(t.reason()) ? "" : " (" + t.reason() + ")");
        return what + " by " + t.actor() + " at " + t.at();
    }
}
