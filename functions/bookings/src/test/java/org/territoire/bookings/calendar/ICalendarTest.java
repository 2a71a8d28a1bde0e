package org.territoire.bookings.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ICalendarTest {

    @Test
    void render_writesAValidCalendar_withCrlfAndUtcTimes() {
        String ics = ICalendar.render("Mes réservations", List.of(new ICalendar.Event("b-1@territoire",
                Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-12-01T09:00:00Z"), Instant.parse("2026-12-01T11:00:00Z"),
                "Salle des fêtes", "centre", null, "CONFIRMED")));

        assertThat(ics).startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n").endsWith("END:VCALENDAR\r\n")
                .contains("\r\nUID:b-1@territoire\r\n", "\r\nDTSTART:20261201T090000Z\r\n", "\r\nDTEND:20261201T110000Z\r\n",
                        "\r\nSTATUS:CONFIRMED\r\n", "\r\nSUMMARY:Salle des fêtes\r\n");
        assertThat(ics.replace("\r\n", "")).doesNotContain("\n");
    }

    @Test
    void text_escapesBackslashSemicolonCommaAndNewlines() {
        assertThat(ICalendar.text("a;b,c\\d\ne")).isEqualTo("a\\;b\\,c\\\\d\\ne");
    }

    @Test
    void longLines_areFoldedAt75Octets_withoutSplittingACharacter() {
        StringBuilder out = new StringBuilder();
        ICalendar.line(out, "SUMMARY:" + "é".repeat(60));

        String[] physical = out.toString().split("\r\n");
        assertThat(physical).hasSizeGreaterThan(1);
        for (String line : physical) {
            assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(75);
        }
        assertThat(physical[1]).startsWith(" ");
        assertThat(out.toString().replace("\r\n ", "")).isEqualTo("SUMMARY:" + "é".repeat(60) + "\r\n");
    }
}
