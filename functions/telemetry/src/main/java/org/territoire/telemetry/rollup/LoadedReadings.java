package org.territoire.telemetry.rollup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.territoire.telemetry.alert.AlertEvaluator;
import org.territoire.telemetry.reading.Reading;

/**
 * The readings one ingestion has read to roll up its hours, each span complete: every stored
 * reading from the span's first (the one before the hour, or none at all) to the hour's end.
 * An alert window inside a span is answered from it, without reading the table again.
 */
public final class LoadedReadings implements AlertEvaluator.Window {
    /** Every stored reading with {@code from <= at < to} is in {@code readings} (from null: since the first). */
    private record Span(Instant from, Instant to, List<Reading> readings) {
    }

    private final List<Span> spans = new ArrayList<>();
    private final java.util.Set<Instant> touched = new java.util.TreeSet<>();

    /** Every hour whose figures the message's readings change, closed or open (for the district sweep's marks). */
    public java.util.Set<Instant> touched() {
        return java.util.Collections.unmodifiableSet(touched);
    }

    void touched(java.util.Collection<Instant> hours) {
        touched.addAll(hours);
    }

    /** {@code readings}: what {@code ReadingRepository.withPrevious(since, end)} answered. */
    void add(Instant since, Instant end, List<Reading> readings) {
        Instant from = !readings.isEmpty() && readings.get(0).at().isBefore(since) ? readings.get(0).at() : null;
        spans.add(new Span(from, end, List.copyOf(readings)));
    }

    @Override
    public Optional<List<Reading>> withPrevious(Instant from, Instant to) {
        for (Span span : spans) {
            if ((span.from() == null || !span.from().isAfter(from)) && !to.isAfter(span.to())) {
                List<Reading> window = new ArrayList<>();
                Reading previous = null;
                for (Reading r : span.readings()) {
                    if (!r.at().isAfter(from)) {
                        previous = r;
                    } else if (r.at().isBefore(to)) {
                        window.add(r);
                    }
                }
                if (previous != null) {
                    window.add(0, previous);
                }
                return Optional.of(window);
            }
        }
        return Optional.empty();
    }
}
