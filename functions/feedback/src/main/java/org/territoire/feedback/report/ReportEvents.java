package org.territoire.feedback.report;

/**
 * What the feedback capability tells the bus about its reports, once each write is committed
 * (docs/api.md, "Events between capabilities"). The notifications capability turns these into
 * mails; nothing here may fail the write that already happened.
 */
public interface ReportEvents {
    /** A report was filed, and so routed to the organisation operating its service. */
    void routed(Report report);

    /** A report moved: {@code change} is its new history step. */
    void statusChanged(Report report, StatusChange change);

    /**
     * As {@link #statusChanged(Report, StatusChange)}, told also to {@code alsoTell} (the resident
     * whose reopen request the move grants), besides the report's author and followers.
     */
    default void statusChanged(Report report, StatusChange change, java.util.Collection<String> alsoTell) {
        statusChanged(report, change);
    }

    ReportEvents NONE = new ReportEvents() {
        @Override
        public void routed(Report report) {
        }

        @Override
        public void statusChanged(Report report, StatusChange change) {
        }
    };
}
