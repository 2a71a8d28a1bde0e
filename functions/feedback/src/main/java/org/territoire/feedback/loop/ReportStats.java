package org.territoire.feedback.loop;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.territoire.feedback.report.ReportStatus;

/**
 * The public figures of {@code GET /reports/stats}: over the reports filed in the window
 * ({@link #WINDOW}, the last 90 days), per category and per operator, how many are still open,
 * the median time to acknowledge (the first move out of OPEN) and to resolve (the first
 * resolution), and the share of the resolved ones that were reopened. Medians are exact: the
 * sweep reads every report of the window and sorts their durations (docs/decisions.md).
 */
public record ReportStats(Instant computedAt, Instant from, Instant to, List<Group> byCategory, List<Group> byOperator) {
    public static final Duration WINDOW = Duration.ofDays(90);

    /** One category's or one operator's figures; durations in whole seconds, absent when nothing was measured. */
    public record Group(String category, String organisationId, long reports, long open, long acknowledged,
                        Long medianSecondsToAcknowledge, long resolved, Long medianSecondsToResolve, long reopened,
                        Double reopenedShare) {
    }

    /** What the figures need of a report: its timings, stamped by the status moves. */
    public record Timing(String serviceId, String organisationId, ReportStatus status, Instant createdAt, Instant acknowledgedAt,
                         Instant firstResolvedAt, long reopenings) {
    }

    /** The figures of the reports filed in [now - WINDOW, now]; {@code categoryOf} maps a service to its category. */
    public static ReportStats of(Instant now, List<Timing> reports, Function<String, Optional<String>> categoryOf) {
        Map<String, List<Timing>> byCategory = new TreeMap<>();
        Map<String, List<Timing>> byOperator = new TreeMap<>();
        Map<String, Optional<String>> categories = new java.util.HashMap<>();
        for (Timing t : reports) {
            categories.computeIfAbsent(t.serviceId(), categoryOf).ifPresent(c -> byCategory.computeIfAbsent(c, k -> new ArrayList<>()).add(t));
            byOperator.computeIfAbsent(t.organisationId(), k -> new ArrayList<>()).add(t);
        }
        List<Group> categoryGroups = new ArrayList<>();
        byCategory.forEach((c, ts) -> categoryGroups.add(group(c, null, ts)));
        List<Group> operatorGroups = new ArrayList<>();
        byOperator.forEach((o, ts) -> operatorGroups.add(group(null, o, ts)));
        return new ReportStats(now, now.minus(WINDOW), now, categoryGroups, operatorGroups);
    }

    static Group group(String category, String organisationId, List<Timing> ts) {
        long open = ts.stream().filter(t -> t.status().open()).count();
        List<Long> acknowledge = seconds(ts, Timing::acknowledgedAt);
        List<Long> resolve = seconds(ts, Timing::firstResolvedAt);
        long reopened = ts.stream().filter(t -> t.firstResolvedAt() != null && t.reopenings() > 0).count();
        return new Group(category, organisationId, ts.size(), open, acknowledge.size(), median(acknowledge), resolve.size(),
                median(resolve), reopened, resolve.isEmpty() ? null : Math.round(1000.0 * reopened / resolve.size()) / 1000.0);
    }

    private static List<Long> seconds(List<Timing> ts, Function<Timing, Instant> at) {
        // To the millisecond, as the API shows times: a recount from the answers finds the same seconds.
        return ts.stream().filter(t -> at.apply(t) != null).map(t -> Duration.between(t.createdAt().truncatedTo(ChronoUnit.MILLIS),
                        at.apply(t).truncatedTo(ChronoUnit.MILLIS)).toSeconds())
                .sorted(Comparator.naturalOrder()).toList();
    }

    /** The exact median of sorted values (the mean of the two middle ones, rounded down, for an even count); null for none. */
    static Long median(List<Long> sorted) {
        if (sorted.isEmpty()) {
            return null;
        }
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : Math.floorDiv(sorted.get(n / 2 - 1) + sorted.get(n / 2), 2);
    }
}
