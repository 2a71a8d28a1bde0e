package org.territoire.telemetry.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.telemetry.reading.Reading;

/** An alert window is answered from what the rollup read only when that read is complete over it. */
@Tag("unit")
class LoadedReadingsTest {
    private static Reading at(String time) {
        return new Reading("d", Instant.parse(time), Map.of("pm2_5_ugm3", 1.0));
    }

    @Test
    void aWindowInsideTheSpan_isAnswered_withTheReadingAtOrBeforeItsStart() {
        LoadedReadings loaded = new LoadedReadings();
        // What withPrevious(10:00, 11:00) answered: the reading before 10:00, then the hour's.
        loaded.add(Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T11:00:00Z"),
                List.of(at("2026-11-25T09:58:00Z"), at("2026-11-25T10:05:00Z"), at("2026-11-25T10:20:00Z"), at("2026-11-25T10:30:00Z")));

        assertThat(loaded.withPrevious(Instant.parse("2026-11-25T10:15:00Z"), Instant.parse("2026-11-25T10:30:00.001Z")).orElseThrow())
                .extracting(r -> r.at().toString()).containsExactly("2026-11-25T10:05:00Z", "2026-11-25T10:20:00Z", "2026-11-25T10:30:00Z");
        assertThat(loaded.withPrevious(Instant.parse("2026-11-25T09:58:00Z"), Instant.parse("2026-11-25T10:06:00Z")).orElseThrow())
                .extracting(r -> r.at().toString()).containsExactly("2026-11-25T09:58:00Z", "2026-11-25T10:05:00Z");
    }

    @Test
    void aWindowReachingBeforeWhatWasRead_orAfterIt_isNotAnswered() {
        LoadedReadings loaded = new LoadedReadings();
        loaded.add(Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T11:00:00Z"),
                List.of(at("2026-11-25T09:58:00Z"), at("2026-11-25T10:05:00Z")));

        assertThat(loaded.withPrevious(Instant.parse("2026-11-25T09:50:00Z"), Instant.parse("2026-11-25T10:05:00.001Z"))).isEmpty();
        assertThat(loaded.withPrevious(Instant.parse("2026-11-25T10:50:00Z"), Instant.parse("2026-11-25T11:05:00Z"))).isEmpty();
    }

    @Test
    void whenNothingPrecedesTheSpan_everyEarlierWindowIsComplete() {
        LoadedReadings loaded = new LoadedReadings();
        loaded.add(Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T11:00:00Z"), List.of(at("2026-11-25T10:05:00Z")));

        assertThat(loaded.withPrevious(Instant.parse("2026-11-25T09:00:00Z"), Instant.parse("2026-11-25T10:10:00Z")).orElseThrow())
                .extracting(r -> r.at().toString()).containsExactly("2026-11-25T10:05:00Z");
    }
}
