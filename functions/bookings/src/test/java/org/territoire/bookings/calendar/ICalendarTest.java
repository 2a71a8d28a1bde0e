package org.territoire.bookings.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ICalendarTest {
    static final ICalendar.Event EVENT = new ICalendar.Event("b-1@territoire", Instant.parse("2026-12-01T09:00:00Z"),
            Instant.parse("2026-12-01T11:00:00Z"), "Salle des fêtes", "Salle des fêtes, 2 place de la Mairie, Villeneuve",
            45.764043, 4.835659, null, "CONFIRMED", 2, Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-28T17:30:00Z"),
            "https://app.example.fr/bookings/b-1");

    /** ical4j, a third-party RFC 5545 parser and validator, reads what we write property by property. */
    @Test
    void ical4j_parsesTheFeed_andFindsEachPropertyAsWritten() throws Exception {
        String ics = ICalendar.render("Mes réservations", Instant.parse("2026-11-30T08:00:00Z"), List.of(EVENT,
                new ICalendar.Event("b-2@territoire", Instant.parse("2026-12-02T09:00:00Z"), Instant.parse("2026-12-02T10:00:00Z"),
                        "Vélo cargo ; « long », \\ prêt\nsur deux lignes " + "é".repeat(40), null, null, null, "3 unités", "CANCELLED", 1,
                        Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-26T10:00:00Z"), null)));

        net.fortuna.ical4j.model.Calendar calendar = new net.fortuna.ical4j.data.CalendarBuilder()
                .build(new java.io.StringReader(ics));
        calendar.validate();
        List<net.fortuna.ical4j.model.component.VEvent> events = calendar.getComponents("VEVENT");
        assertThat(events).hasSize(2);
        var first = events.get(0);
        assertThat(value(first, "UID")).isEqualTo("b-1@territoire");
        assertThat(value(first, "DTSTAMP")).as("when the feed was made").isEqualTo("20261130T080000Z");
        assertThat(value(first, "SEQUENCE")).isEqualTo("2");
        assertThat(value(first, "LAST-MODIFIED")).isEqualTo("20261128T173000Z");
        assertThat(value(first, "CREATED")).isEqualTo("20261125T100000Z");
        assertThat(value(first, "LOCATION")).isEqualTo("Salle des fêtes, 2 place de la Mairie, Villeneuve");
        assertThat(value(first, "GEO")).isEqualTo("45.764043;4.835659");
        assertThat(value(first, "URL")).isEqualTo("https://app.example.fr/bookings/b-1");
        var second = events.get(1);
        assertThat(value(second, "SUMMARY")).as("escapes and folds come back as written")
                .isEqualTo("Vélo cargo ; « long », \\ prêt\nsur deux lignes " + "é".repeat(40));
        assertThat(value(second, "STATUS")).isEqualTo("CANCELLED");
        assertThat(second.getProperty("GEO")).isEmpty();
    }

    private static String value(net.fortuna.ical4j.model.component.VEvent event, String name) {
        return event.getProperty(name).map(p -> p.getValue()).orElse(null);
    }

    @Test
    void render_writesAValidCalendar_withCrlfAndUtcTimes() {
        String ics = ICalendar.render("Mes réservations", Instant.parse("2026-11-30T08:00:00Z"), List.of(EVENT));

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
