package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The journeys' sweep command refuses what a schedule could not do, before it touches the platform. */
@Tag("unit")
class LocalSweepTest {
    @Test
    void refusesAnotherCommand_aMalformedInstant_andAClockThatGoesBack() {
        assertThat(LocalSweep.run(null, "invoke AccountsFunction")).startsWith("REFUSED unknown command");
        assertThat(LocalSweep.run(null, "sweep-feedback")).startsWith("REFUSED unknown command");
        assertThat(LocalSweep.run(null, "sweep-feedback 2026-13-01")).isEqualTo("REFUSED not an ISO-8601 instant");
        assertThat(LocalSweep.run(null, "sweep-feedback " + Instant.now().minus(Duration.ofMinutes(1))))
                .isEqualTo("REFUSED a sweep's clock never goes back");
    }
}
