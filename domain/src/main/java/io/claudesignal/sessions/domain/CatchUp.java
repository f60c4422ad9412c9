package io.claudesignal.sessions.domain;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What happened in a session since the person last acknowledged: "While you were away, Claude
 * completed 5 operations: 3 edit, 2 command."
 *
 * @param acknowledgedSeq the marker: every activity up to this one was acknowledged
 * @param throughSeq      the newest activity; acknowledging up to it clears this catch-up
 * @param activities      the activities after the marker that the bounded log still holds, oldest first
 */
public record CatchUp(SessionId sessionId, long acknowledgedSeq, long throughSeq, List<Activity> activities) {

    public CatchUp {
        Objects.requireNonNull(sessionId, "sessionId");
        activities = List.copyOf(activities);
        if (throughSeq < acknowledgedSeq) {
            throw new IllegalArgumentException("throughSeq " + throughSeq + " is before the marker " + acknowledgedSeq);
        }
    }

    /** How many operations happened since the marker, including any the bounded log no longer holds. */
    public long count() {
        return throughSeq - acknowledgedSeq;
    }

    /** How many of those the log dropped (it keeps only the newest entries). */
    public long dropped() {
        return count() - activities.size();
    }

    /** The counts by type of the activities still held, in type order. */
    public Map<String, Long> countsByType() {
        return activities.stream().collect(Collectors.groupingBy(Activity::type, TreeMap::new, Collectors.counting()));
    }

    /** One sentence for the person, ready to send. */
    public String summary() {
        long count = count();
        if (count == 0) {
            return "Nothing new since you last checked.";
        }
        StringBuilder text = new StringBuilder("While you were away, Claude completed ").append(count)
                .append(count == 1 ? " operation" : " operations");
        if (!activities.isEmpty()) {
            text.append(": ").append(countsByType().entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
        }
        if (dropped() > 0) {
            text.append(" (").append(dropped()).append(" older ones are no longer in the log)");
        }
        return text.append('.').toString();
    }
}
