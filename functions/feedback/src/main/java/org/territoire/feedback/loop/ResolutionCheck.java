package org.territoire.feedback.loop;

import java.time.Instant;

/**
 * The question put to a report's author some time after it was marked resolved: is it really
 * fixed? {@code PENDING} from the resolution until the sweep finds it old enough, {@code DUE}
 * once the author was asked, {@code ANSWERED} once they answered (at most once).
 */
public record ResolutionCheck(String reportId, String authorId, Instant resolvedAt, State state, Instant dueAt,
                              Answer answer, String comment, Instant answeredAt) {

    public enum State { PENDING, DUE, ANSWERED }

    /** The author's answer; {@code NO} reopens the report. */
    public enum Answer { YES, NO, PARTLY }
}
