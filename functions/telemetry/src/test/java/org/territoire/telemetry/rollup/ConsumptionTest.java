package org.territoire.telemetry.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.reading.Reading;

/** The consumption arithmetic of cumulative meters, and the calendar of rollups. */
@Tag("unit")
class ConsumptionTest {

    @Test
    void consumption_isTheSumOfIndexDifferences_fromTheReadingBefore() {
        assertThat(Rollups.consumption(100.0, List.of(101.5, 103.0, 103.0, 110.0))).isEqualTo(10.0);
        assertThat(Rollups.consumption(null, List.of(101.5, 103.0))).as("nothing before: the first reading is the baseline").isEqualTo(1.5);
    }

    @Test
    void aReset_countsTheNewIndexFromZero_neverANegativeJump() {
        // 100 → 104 (4), reset to 0 then 3 (3), then 5 (2).
        assertThat(Rollups.consumption(100.0, List.of(104.0, 3.0, 5.0))).isEqualTo(9.0);
    }

    @Test
    void duplicatesAndOutOfOrderReadings_giveTheSameHour_onceStoredInTimeOrder() {
        Instant hour = Instant.parse("2026-11-25T09:00:00Z");
        Reading before = reading(hour.minusSeconds(60), 100);
        List<Reading> inOrder = List.of(reading(hour.plusSeconds(600), 102), reading(hour.plusSeconds(1200), 105));

        Rollup once = Rollups.hour(DeviceKind.ELECTRICITY_METER, hour, before, inOrder);

        assertThat(once.consumption()).isEqualTo(5.0);
        assertThat(once.readings()).isEqualTo(2);
        assertThat(once.metrics().get("energy_kwh").max()).isEqualTo(105.0);
    }

    @Test
    void aParisDay_is23HoursInSpring_25InAutumn_andItsRollupSumsThem() {
        LocalDate spring = LocalDate.parse("2026-03-29");
        LocalDate autumn = LocalDate.parse("2026-10-25");

        java.time.ZoneId paris = java.time.ZoneId.of("Europe/Paris");
        assertThat(ChronoUnit.HOURS.between(Rollups.startOf(spring, paris), Rollups.startOf(spring.plusDays(1), paris))).isEqualTo(23);
        assertThat(ChronoUnit.HOURS.between(Rollups.startOf(autumn, paris), Rollups.startOf(autumn.plusDays(1), paris))).isEqualTo(25);
        assertThat(Rollups.dayOf(Instant.parse("2026-03-28T23:30:00Z"), paris)).as("00:30 in Paris").isEqualTo(spring);
        assertThat(Rollups.startOf(YearMonth.parse("2026-11"), paris)).isEqualTo(Instant.parse("2026-10-31T23:00:00Z"));

        Rollup h1 = new Rollup("H#1", Instant.EPOCH, Instant.EPOCH, 2, 10, Map.of("energy_kwh", new Rollup.Stats(2, 20, 9, 11)), 2.0);
        Rollup h2 = new Rollup("H#2", Instant.EPOCH, Instant.EPOCH, 1, 5, Map.of("energy_kwh", new Rollup.Stats(1, 12, 12, 12)), 1.0);
        Rollup day = Rollups.combine("D#x", Instant.EPOCH, Instant.EPOCH, List.of(h1, h2));
        assertThat(day.consumption()).isEqualTo(3.0);
        assertThat(day.basis()).isEqualTo(15);
        assertThat(day.metrics().get("energy_kwh")).isEqualTo(new Rollup.Stats(3, 32, 9, 12));
    }

    @Test
    void theTerritorysZone_isTheEnvironments_andMustBeWholeHoursFromUtc() {
        assertThat(Rollups.wholeHours(java.time.ZoneId.of("America/New_York"))).isEqualTo(java.time.ZoneId.of("America/New_York"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Rollups.wholeHours(java.time.ZoneId.of("Asia/Kolkata")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("whole number of hours");
        java.time.ZoneId ny = java.time.ZoneId.of("America/New_York");
        assertThat(Rollups.dayOf(Instant.parse("2026-11-25T03:00:00Z"), ny)).as("22:00 the day before in New York")
                .isEqualTo(LocalDate.parse("2026-11-24"));
        assertThat(Rollups.startOf(LocalDate.parse("2026-11-24"), ny)).isEqualTo(Instant.parse("2026-11-24T05:00:00Z"));
    }

    private static Reading reading(Instant at, double index) {
        return new Reading("m", at, Map.of("energy_kwh", index));
    }
}
