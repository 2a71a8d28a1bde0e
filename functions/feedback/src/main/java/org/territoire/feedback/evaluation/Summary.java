package org.territoire.feedback.evaluation;

import java.util.List;

/** A service's ratings: how many, their average, and how many of each star from 1 to 5. */
public record Summary(long count, Double average, List<Long> histogram) {
    public static Summary of(long count, long sum, List<Long> histogram) {
        return new Summary(count, count == 0 ? null : Math.round(sum * 100.0 / count) / 100.0, List.copyOf(histogram));
    }
}
