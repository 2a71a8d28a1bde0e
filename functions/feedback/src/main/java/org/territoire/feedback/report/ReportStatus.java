package org.territoire.feedback.report;

import java.util.EnumSet;
import java.util.Set;

/** open → acknowledged → in_progress → resolved | rejected (reason) | duplicate (of another report). */
public enum ReportStatus {
    OPEN, ACKNOWLEDGED, IN_PROGRESS, RESOLVED, REJECTED, DUPLICATE;

    private static final Set<ReportStatus> CLOSING = EnumSet.of(RESOLVED, REJECTED, DUPLICATE);

    /** Statuses this one may move to. A closed report does not move again. */
    public Set<ReportStatus> next() {
        return switch (this) {
            case OPEN -> EnumSet.of(ACKNOWLEDGED, IN_PROGRESS, RESOLVED, REJECTED, DUPLICATE);
            case ACKNOWLEDGED -> EnumSet.of(IN_PROGRESS, RESOLVED, REJECTED, DUPLICATE);
            case IN_PROGRESS -> EnumSet.copyOf(CLOSING);
            default -> EnumSet.noneOf(ReportStatus.class);
        };
    }

    /**
     * A resolved report reopens (its author says it is not fixed, or its operator accepts a
     * resident's request) back to {@code OPEN}: into the operator's queue of reports to take up.
     * Only the closing-loop routes reopen, never a plain status change.
     */
    public static final ReportStatus REOPENED = OPEN;

    public boolean reopenable() {
        return this == RESOLVED;
    }

    /** The statuses of a report still being dealt with. */
    public static Set<ReportStatus> openOnes() {
        return EnumSet.complementOf(EnumSet.copyOf(CLOSING));
    }

    public boolean open() {
        return !CLOSING.contains(this);
    }
}
