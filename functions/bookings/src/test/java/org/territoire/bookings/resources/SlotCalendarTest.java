package org.territoire.bookings.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SlotCalendarTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private final SlotCalendar hourly = new SlotCalendar(PARIS, Duration.ofHours(1), OpeningHours.always());

    @Test
    void aDay_hasTwentyFourHourlySlots_butTheDaylightSavingDaysHave23And25() {
        assertThat(hourly.slotsOf(LocalDate.of(2026, 12, 1))).hasSize(24);
        assertThat(hourly.slotsOf(LocalDate.of(2026, 3, 29))).hasSize(23);   // 02:00 → 03:00
        assertThat(hourly.slotsOf(LocalDate.of(2026, 10, 25))).hasSize(25);  // 03:00 → 02:00
    }

    @Test
    void slots_onTheAutumnChange_neverRepeatAnInstant() {
        List<Instant> slots = hourly.slotsOf(LocalDate.of(2026, 10, 25));

        assertThat(slots).doesNotHaveDuplicates().isSorted();
        assertThat(slots.get(2)).isEqualTo(Instant.parse("2026-10-25T00:00:00Z")); // 02:00 CEST
        assertThat(slots.get(3)).isEqualTo(Instant.parse("2026-10-25T01:00:00Z")); // 02:00 CET, the second one
    }

    @Test
    void boundaries_areCountedFromLocalMidnight() {
        SlotCalendar halfHours = new SlotCalendar(PARIS, Duration.ofMinutes(30), OpeningHours.always());

        assertThat(halfHours.onBoundary(paris(2026, 12, 1, 9, 30))).isTrue();
        assertThat(halfHours.onBoundary(paris(2026, 12, 1, 9, 45))).isFalse();
        assertThat(halfHours.onBoundary(paris(2026, 3, 29, 3, 30))).isTrue();
    }

    @Test
    void slotsBetween_coverTheInterval_halfOpen() {
        assertThat(hourly.slotsBetween(paris(2026, 12, 1, 9, 0), paris(2026, 12, 1, 12, 0)))
                .containsExactly(paris(2026, 12, 1, 9, 0), paris(2026, 12, 1, 10, 0), paris(2026, 12, 1, 11, 0));
    }

    @Test
    void openingHours_containTheWholeBooking_orItIsRefused() {
        SlotCalendar hall = new SlotCalendar(PARIS, Duration.ofHours(1), weekdays("08:00-12:00", "14:00-18:00"));

        assertThat(hall.open(paris(2026, 12, 1, 8, 0), paris(2026, 12, 1, 12, 0))).isTrue();
        assertThat(hall.open(paris(2026, 12, 1, 11, 0), paris(2026, 12, 1, 15, 0))).as("across the lunch break").isFalse();
        assertThat(hall.open(paris(2026, 12, 1, 7, 0), paris(2026, 12, 1, 9, 0))).isFalse();
        assertThat(hall.open(paris(2026, 12, 5, 9, 0), paris(2026, 12, 5, 10, 0))).as("a Saturday").isFalse();
    }

    @Test
    void aBooking_runsThroughMidnight_onlyIfBothDaysAreOpenThere() {
        SlotCalendar evenings = new SlotCalendar(PARIS, Duration.ofHours(1), weekdays("18:00-24:00", "00:00-02:00"));

        assertThat(evenings.open(paris(2026, 12, 1, 22, 0), paris(2026, 12, 2, 1, 0))).isTrue();
        assertThat(evenings.open(paris(2026, 12, 1, 22, 0), paris(2026, 12, 2, 3, 0))).isFalse();
        assertThat(evenings.open(paris(2026, 12, 4, 22, 0), paris(2026, 12, 5, 1, 0))).as("into a closed Saturday").isFalse();
    }

    @Test
    void openingHours_followWallClockTime_onDaylightSavingDays() {
        SlotCalendar hall = new SlotCalendar(PARIS, Duration.ofHours(1), everyDay("08:00-12:00"));

        assertThat(hall.open(paris(2026, 3, 29, 8, 0), paris(2026, 3, 29, 12, 0))).isTrue();
        assertThat(hall.open(paris(2026, 10, 25, 8, 0), paris(2026, 10, 25, 12, 0))).isTrue();
        assertThat(Duration.between(paris(2026, 3, 29, 0, 0), paris(2026, 3, 29, 8, 0))).hasHours(7);
    }

    private static Instant paris(int y, int m, int d, int h, int min) {
        return ZonedDateTime.of(y, m, d, h, min, 0, 0, PARIS).toInstant();
    }

    private static OpeningHours weekdays(String... periods) {
        Map<DayOfWeek, List<OpeningHours.Period>> days = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY)) {
            days.put(day, java.util.Arrays.stream(periods).map(OpeningHours.Period::parse).toList());
        }
        return new OpeningHours(days);
    }

    private static OpeningHours everyDay(String... periods) {
        Map<DayOfWeek, List<OpeningHours.Period>> days = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            days.put(day, java.util.Arrays.stream(periods).map(OpeningHours.Period::parse).toList());
        }
        return new OpeningHours(days);
    }
}
