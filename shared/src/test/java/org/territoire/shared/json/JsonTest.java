package org.territoire.shared.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.territoire.shared.error.ApiException;

class JsonTest {
    enum Colour { RED, GREEN }

    record Point(Double latitude, Double longitude) {
    }

    record Command(String name, Integer rating, Colour colour, List<String> tags, Point point) {
    }

    @Test
    void readBody_readsAValidCommand() {
        Command c = Json.readBody("{\"name\":\"x\",\"rating\":3,\"colour\":\"RED\",\"tags\":[\"a\"],\"point\":{\"latitude\":1.5,\"longitude\":2}}", Command.class);

        assertThat(c.rating()).isEqualTo(3);
        assertThat(c.point().longitude()).isEqualTo(2.0);
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
            assertThatThrownBy(() -> Json.readBody(body, Command.class)).as(body).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.detail()).doesNotContain(marker);
                assertThat(e.errors()).allSatisfy(err -> assertThat(err.field() + err.detail()).doesNotContain(marker));
            });
        }
        assertField("{\"" + marker + "\":1}", "body", "not a field of this request");
    }

    private static void assertField(String body, String field, String detail) {
        assertThatThrownBy(() -> Json.readBody(body, Command.class)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.errors()).singleElement().satisfies(err -> {
                assertThat(err.field()).isEqualTo(field);
                assertThat(err.detail()).contains(detail);
            });
        });
    }
}
