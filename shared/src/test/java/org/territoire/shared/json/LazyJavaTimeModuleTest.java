package org.territoire.shared.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The kernel's mapper with the lazy module reads and writes every java.time type exactly as
 * with Jackson's JavaTimeModule, errors included; and it does not set the module up until a
 * java.time type is met.
 */
@Tag("unit")
class LazyJavaTimeModuleTest {
    record Times(Instant instant, LocalDate date, LocalTime time, LocalDateTime dateTime, OffsetDateTime offset,
                 OffsetTime offsetTime, ZonedDateTime zoned, Duration duration, Period period, Year year, YearMonth yearMonth,
                 MonthDay monthDay, ZoneId zone, ZoneOffset zoneOffset, DayOfWeek day, Month month,
                 List<LocalDate> dates, Map<LocalDate, Integer> byDate, LocalDate[] array) {
    }

    private static final ObjectMapper LAZY = Json.build(new LazyJavaTimeModule());
    private static final ObjectMapper EAGER = Json.build(new JavaTimeModule());

    private static final Times SAMPLE = new Times(Instant.parse("2026-12-01T09:30:00.123456Z"), LocalDate.of(2026, 12, 1),
            LocalTime.of(9, 30, 15), LocalDateTime.of(2026, 12, 1, 9, 30), OffsetDateTime.parse("2026-12-01T10:30:00+01:00"),
            OffsetTime.parse("10:30:00+01:00"), ZonedDateTime.parse("2026-12-01T10:30:00+01:00[Europe/Paris]"), Duration.ofMinutes(90),
            Period.ofDays(3), Year.of(2026), YearMonth.of(2026, 12), MonthDay.of(12, 1), ZoneId.of("Europe/Paris"), ZoneOffset.ofHours(1),
            DayOfWeek.TUESDAY, Month.DECEMBER, List.of(LocalDate.of(2026, 1, 2)), Map.of(LocalDate.of(2026, 1, 2), 3),
            new LocalDate[] {LocalDate.of(2026, 3, 4)});

    @Test
    void writesAndReadsEveryJavaTimeTypeAsJavaTimeModuleDoes() throws Exception {
        String lazy = LAZY.writeValueAsString(SAMPLE);
        assertThat(lazy).isEqualTo(EAGER.writeValueAsString(SAMPLE));
        assertThat(LAZY.readTree(lazy)).isEqualTo(EAGER.readTree(lazy));
        Times read = LAZY.readValue(lazy, Times.class);
        assertThat(read).usingRecursiveComparison().isEqualTo(EAGER.readValue(lazy, Times.class));
        assertThat(read.date()).isEqualTo(SAMPLE.date());
        assertThat(read.byDate()).isEqualTo(SAMPLE.byDate());
        assertThat(LAZY.writeValueAsString(Map.of(LocalDate.of(2026, 5, 6), Duration.ofHours(1))))
                .isEqualTo(EAGER.writeValueAsString(Map.of(LocalDate.of(2026, 5, 6), Duration.ofHours(1))));
    }

    @Test
    void refusesWhatJavaTimeModuleRefusesWithTheSameError() {
        List<String> bad = List.of("{\"date\":\"2026-13-01\"}", "{\"date\":20261201}", "{\"date\":[2026,12,1]}", "{\"date\":\"\"}",
                "{\"instant\":\"yesterday\"}", "{\"instant\":1764581400}", "{\"duration\":\"PT\"}", "{\"zone\":\"Mars/Olympus\"}",
                "{\"time\":\"25:00\"}", "{\"yearMonth\":\"2026-1\"}", "{\"byDate\":{\"not-a-date\":1}}", "{\"day\":\"Funday\"}",
                "{\"month\":13}", "{\"dates\":[\"2026-02-30\"]}", "{\"period\":true}");
        for (String body : bad) {
            assertThat(bodyOutcome(LAZY, body)).as(body).isEqualTo(bodyOutcome(EAGER, body));
            assertThat(outcome(LAZY, body)).as(body).isEqualTo(outcome(EAGER, body));
        }
    }

    /** What a request body reader answers: the value, or the problem's field and reason. */
    private static String bodyOutcome(ObjectMapper mapper, String body) {
        try {
            return "read " + Json.readBody(body, Times.class, mapper);
        } catch (org.territoire.shared.error.DomainError e) {
            return e.getClass().getSimpleName() + " " + (e instanceof org.territoire.shared.error.DomainError.Invalid i ? i.errors() : "") + " " + e.detail();
        }
    }

    private static String outcome(ObjectMapper mapper, String body) {
        try {
            return "read " + mapper.readValue(body, Times.class);
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage().replaceAll("\\(through reference chain.*", "");
        }
    }

    @Test
    void setsJavaTimeModuleUpOnlyWhenAJavaTimeTypeIsMet() throws Exception {
        LazyJavaTimeModule module = new LazyJavaTimeModule();
        ObjectMapper mapper = Json.build(module);
        record Answer(String name, int count, List<String> tags, Map<String, Double> values) {
        }
        mapper.writeValueAsString(new Answer("a", 1, List.of("x"), Map.of("v", 1.5)));
        mapper.readValue("{\"name\":\"a\",\"count\":1,\"tags\":[],\"values\":{}}", Answer.class);
        // The kernel writes Instants itself (Json.Times): no JavaTimeModule for them either.
        mapper.writeValueAsString(Map.of("at", Instant.EPOCH));
        assertThat(module.isSetUp()).isFalse();
        assertThat(mapper.writeValueAsString(Map.of("on", LocalDate.of(2026, 12, 1)))).isEqualTo("{\"on\":\"2026-12-01\"}");
        assertThat(module.isSetUp()).isTrue();
        assertThat(module.version()).isEqualTo(new JavaTimeModule().version());
    }
}
