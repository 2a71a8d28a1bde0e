package org.territoire.shared.json;

import org.territoire.shared.error.DomainError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class JsonTest {
    enum Colour { RED, GREEN }

    record Point(Double latitude, Double longitude) {
    }

    record Command(String name, Integer rating, Colour colour, List<String> tags, Point point) {
    }

    record Timed(java.time.Instant at, Boolean open, Long count) {
    }

    record Slot(java.time.Instant at) {
    }

    record Agenda(List<Slot> slots, List<java.time.Instant> times, java.util.Set<java.time.LocalDate> days,
                  java.util.Map<String, java.time.OffsetDateTime> due, java.time.LocalDate[] holidays, List<List<Slot>> weeks) {
    }

    @Test
    void readBody_readsAValidCommand() {
        Command c = Json.readBody("{\"name\":\"x\",\"rating\":3,\"colour\":\"RED\",\"tags\":[\"a\"],\"point\":{\"latitude\":1.5,\"longitude\":2}}", Command.class);

        assertThat(c.rating()).isEqualTo(3);
        assertThat(c.point().longitude()).isEqualTo(2.0);
    }

    @Test
    void readBody_refusesNumbersDynamoDbCannotHold_namingTheField() {
        assertField("{\"point\":{\"latitude\":1.22394164528722e-259}}", "point.latitude", "is out of range");
        assertField("{\"point\":{\"longitude\":-1e126}}", "point.longitude", "is out of range");
        assertField("{\"tags\":[\"a\"],\"rating\":1e200}", "rating", "is out of range");
        assertThat(Json.readBody("{\"point\":{\"latitude\":0.0,\"longitude\":1e-129}}", Command.class).point().longitude())
                .isEqualTo(1e-129);
    }

    @Test
    void readBody_namesTheUnknownField() {
        assertField("{\"name\":\"x\",\"author\":\"someone-else\"}", "author", "unknown field");
    }

    @Test
    void readBody_namesTheMistypedField_evenWhenNested() {
        assertField("{\"rating\":\"five\"}", "rating", "must be a whole number");
        assertField("{\"point\":{\"latitude\":\"north\"}}", "point.latitude", "must be a number");
    }

    @Test
    void readBody_coercesNothing_asDocsApiPromises() {
        assertField("{\"rating\":4.9}", "rating", "must be a whole number");
        assertField("{\"rating\":\"3\"}", "rating", "must be a whole number");
        assertField("{\"rating\":true}", "rating", "must be a whole number");
        assertField("{\"name\":42}", "name", "must be a string");
        assertField("{\"name\":true}", "name", "must be a string");
        assertField("{\"point\":{\"latitude\":\"45.7\"}}", "point.latitude", "must be a number");
        assertField("{\"point\":{\"latitude\":\"NaN\"}}", "point.latitude", "must be a number");
        assertField("{\"point\":{\"longitude\":\"-Infinity\"}}", "point.longitude", "must be a number");
        assertField("{\"tags\":\"a\"}", "tags", "must be a list");
        assertThatThrownBy(() -> Json.readBody("{\"open\":\"true\"}", Timed.class)).isInstanceOfSatisfying(DomainError.Invalid.class,
                e -> assertThat(e.errors().get(0).field()).isEqualTo("open"));
        assertThatThrownBy(() -> Json.readBody("{\"count\":1.5}", Timed.class)).isInstanceOfSatisfying(DomainError.Invalid.class,
                e -> assertThat(e.errors().get(0).field()).isEqualTo("count"));
    }

    @Test
    void readBody_takesDatesAsStringsOnly() {
        assertThat(Json.readBody("{\"at\":\"2026-12-01T10:00:00Z\"}", Timed.class).at()).isEqualTo(java.time.Instant.parse("2026-12-01T10:00:00Z"));
        for (String body : List.of("{\"at\":1796114683}", "{\"at\":1796114683.5}", "{\"at\":\"yesterday\"}", "{\"at\":\"\"}")) {
            assertThatThrownBy(() -> Json.readBody(body, Timed.class)).as(body).isInstanceOfSatisfying(DomainError.Invalid.class, e -> {
                assertThat(e.errors().get(0).field()).isEqualTo("at");
            });
        }
    }

    @Test
    void readBody_takesDatesAsStringsOnly_insideListsToo_namingTheElement() {
        Agenda ok = Json.readBody("""
                {"slots":[{"at":"2026-12-01T10:00:00Z"}],"times":["2026-12-01T10:00:00Z"],"days":["2026-12-01"],
                 "due":{"a":"2026-12-01T10:00:00+01:00"},"holidays":["2026-12-25"],"weeks":[[{"at":"2026-12-01T10:00:00Z"}]]}""",
                Agenda.class);
        assertThat(ok.slots().get(0).at()).isEqualTo(java.time.Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(ok.holidays()).containsExactly(java.time.LocalDate.parse("2026-12-25"));
        java.util.Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("{\"slots\":[{\"at\":\"2026-12-01T10:00:00Z\"},{\"at\":1796114683}]}", "slots.1.at");
        refused.put("{\"times\":[1796114683]}", "times.0");
        refused.put("{\"times\":[\"2026-12-01T10:00:00Z\",1796114683.5]}", "times.1");
        refused.put("{\"days\":[20000]}", "days.0");
        refused.put("{\"due\":{\"a\":1796114683}}", "due.a");
        refused.put("{\"holidays\":[20000]}", "holidays.0");
        refused.put("{\"weeks\":[[],[{\"at\":1796114683}]]}", "weeks.1.0.at");
        refused.forEach((body, field) -> assertThatThrownBy(() -> Json.readBody(body, Agenda.class)).as(body)
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors()).singleElement().satisfies(err -> {
                    assertThat(err.field()).isEqualTo(field);
                    assertThat(err.detail()).contains("ISO 8601");
                })));
    }

    @Test
    void readBody_refusesANullInsideAList() {
        assertField("{\"tags\":[\"a\",null]}", "tags.1", "must not be null");
    }

    @Test
    void readBody_refusesDuplicateKeys() {
        assertField("{\"name\":\"a\",\"name\":\"b\"}", "body", "more than once");
    }

    @Test
    void readBody_refusesLoneSurrogates_namingTheField() {
        assertField("{\"name\":\"caf\\ud800\"}", "name", "not valid Unicode");
        assertField("{\"tags\":[\"ok\",\"\\udc00x\"]}", "tags.1", "not valid Unicode");
        assertField("{\"\\ud800\":1}", "body", "not valid Unicode");
        assertThat(Json.readBody("{\"name\":\"\\ud83d\\ude00\"}", Command.class).name()).isEqualTo("\ud83d\ude00");
    }

    @Test
    void readBody_listsTheAllowedEnumValues() {
        assertField("{\"colour\":\"BLUE\"}", "colour", "must be one of RED, GREEN");
    }

    @Test
    void readBody_refusesNonJson_emptyBodies_andTrailingGarbage() {
        assertField("{oops", "body", "is not valid JSON");
        assertField("", "body", "a JSON object is required");
        assertField("null", "body", "a JSON object is required");
        assertField("{\"name\":\"x\"} {}", "body", "is not valid JSON");
        assertField("[1,2]", "body", "must be a JSON object");
    }

    @Test
    void readBody_neverQuotesWhatWasSent() {
        String marker = "SECRET-MARKER-123";
        List<String> hostile = List.of("{\"" + marker + "\":1}", "{\"rating\":\"" + marker + "\"}", "{\"colour\":\"" + marker + "\"}",
                "{\"point\":{\"latitude\":\"" + marker + "\"}}", "{\"name\":\"" + marker, "{\"tags\":\"" + marker + "\"}",
                "{\"name\":" + marker + "}", "{\"point\":{\"" + marker + "\":2}}");
        for (String body : hostile) {
            assertThatThrownBy(() -> Json.readBody(body, Command.class)).as(body).isInstanceOfSatisfying(DomainError.Invalid.class, e -> {
                assertThat(e.detail()).doesNotContain(marker);
                assertThat(e.errors()).allSatisfy(err -> assertThat(err.field() + err.detail()).doesNotContain(marker));
            });
        }
        assertField("{\"" + marker + "\":1}", "body", "not a field of this request");
    }

    private static void assertField(String body, String field, String detail) {
        assertThatThrownBy(() -> Json.readBody(body, Command.class)).isInstanceOfSatisfying(DomainError.Invalid.class, e -> {
            assertThat(e.errors()).singleElement().satisfies(err -> {
                assertThat(err.field()).isEqualTo(field);
                assertThat(err.detail()).contains(detail);
            });
        });
    }

    record Stamped(java.time.Instant at, java.time.OffsetDateTime local, java.util.List<java.time.Instant> all) {
    }

    @Test
    void times_areWrittenInUtc_toTheMillisecond_whateverTheValueHolds() {
        String json = Json.write(new Stamped(java.time.Instant.parse("2026-12-01T09:30:00.123456789Z"),
                java.time.OffsetDateTime.parse("2026-12-01T10:30:00+01:00"),
                List.of(java.time.Instant.parse("2026-12-01T09:30:00Z"))));

        assertThat(json).isEqualTo("{\"at\":\"2026-12-01T09:30:00.123Z\",\"local\":\"2026-12-01T09:30:00.000Z\","
                + "\"all\":[\"2026-12-01T09:30:00.000Z\"]}");
        assertThat(Json.time(java.time.Instant.parse("2026-12-01T09:30:00.5Z"))).isEqualTo("2026-12-01T09:30:00.500Z");
    }

    @Test
    void readBody_refusesANumberForAnEnum_ratherThanReadingItsIndex() {
        assertThatThrownBy(() -> Json.readBody("{\"colour\":1}", Command.class))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(f -> assertThat(f.field()).isEqualTo("colour")));
    }
}
