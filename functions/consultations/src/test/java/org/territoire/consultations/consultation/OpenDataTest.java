package org.territoire.consultations.consultation;

import static org.assertj.core.api.Assertions.assertThat;

import com.apicatalog.jsonld.JsonLd;
import com.apicatalog.jsonld.document.JsonDocument;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.shared.json.Json;

/**
 * The open-data exports read by others' tools: Apache Commons CSV in both dialects (the
 * figures equal the JSON's), and the DCAT description expanded by Titanium, a W3C JSON-LD
 * processor, with no term left unmapped.
 */
@Tag("unit")
class OpenDataTest {
    private static final Results RESULTS = new Results("c-1", "Marché", Phase.RESULTS_PUBLISHED, 3, List.of(
            new Results.QuestionResult("q1", "Quel jour ; pour le marché, \"vraiment\" ?", Question.Type.SINGLE_CHOICE, 3,
                    List.of(new Results.Count("c1", "Mardi", 1, 33.33), new Results.Count("c2", "=Samedi", 2, 66.67)), null, null),
            new Results.QuestionResult("q2", "Intérêt", Question.Type.SCALE, 3,
                    List.of(new Results.Count("1", "1", 1, 33.33), new Results.Count("5", "5", 2, 66.67)), 3.67, null),
            new Results.QuestionResult("q3", "Idée", Question.Type.FREE_TEXT, 2, List.of(), null, null)));

    @Test
    void theRfc4180Csv_readsBack_asTheJsonSaysIt() throws Exception {
        byte[] bytes = OpenData.csv(RESULTS, OpenData.Dialect.RFC4180);
        assertThat(bytes[0]).as("no byte order mark for programs").isEqualTo((byte) 'c');
        List<CSVRecord> rows = parse(new String(bytes, StandardCharsets.UTF_8), CSVFormat.RFC4180);

        assertThat(rows).hasSize(5);
        CSVRecord first = rows.get(0);
        assertThat(first.get("question")).isEqualTo("Quel jour ; pour le marché, \"vraiment\" ?");
        assertThat(first.get("label")).as("a formula is neutralised").isEqualTo("Mardi");
        assertThat(rows.get(1).get("label")).isEqualTo("'=Samedi");
        assertThat(Double.parseDouble(rows.get(1).get("percentage"))).isEqualTo(66.67);
        assertThat(rows.get(2).get("average")).as("the scale's average, as in the JSON").isEqualTo("3.67");
        assertThat(rows.get(0).get("average")).isEmpty();
        assertThat(rows.get(4).get("type")).isEqualTo("FREE_TEXT");
        assertThat(rows.get(4).get("answered")).isEqualTo("2");
        assertThat(Json.write(RESULTS)).contains("\"average\":3.67");
    }

    @Test
    void theFrenchSpreadsheetCsv_hasABom_semicolons_andDecimalCommas() throws Exception {
        byte[] bytes = OpenData.csv(RESULTS, OpenData.Dialect.EXCEL_FR);
        assertThat(bytes).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
        String text = new String(bytes, StandardCharsets.UTF_8).substring(1);
        List<CSVRecord> rows = parse(text, CSVFormat.RFC4180.builder().setDelimiter(';').get());

        assertThat(rows).hasSize(5);
        assertThat(rows.get(0).get("question")).isEqualTo("Quel jour ; pour le marché, \"vraiment\" ?");
        assertThat(rows.get(1).get("percentage")).isEqualTo("66,67");
        assertThat(rows.get(2).get("average")).isEqualTo("3,67");
        List<String> rfc = new ArrayList<>();
        for (CSVRecord r : parse(new String(OpenData.csv(RESULTS, OpenData.Dialect.RFC4180), StandardCharsets.UTF_8), CSVFormat.RFC4180)) {
            rfc.add(String.join("|", r.toList()).replace('.', ','));
        }
        assertThat(rows.stream().map(r -> String.join("|", r.toList())).toList()).as("the same rows in both dialects").isEqualTo(rfc);
    }

    @Test
    void theDescription_isDcat_andExpandsWithNoTermLeftUnmapped() throws Exception {
        Consultation c = new Consultation("c-1", "Marché", "Le jour du marché", Kind.POLL, List.of("centre"),
                Instant.parse("2026-11-01T08:00:00Z"), Instant.parse("2026-11-15T20:00:00Z"), true,
                Instant.parse("2026-11-16T09:00:00Z"), false, false, null, null, List.of(), Instant.parse("2026-10-20T08:00:00Z"),
                "agent-1", 3);
        Map<String, Object> metadata = OpenData.metadata(c, RESULTS, "https://api.example.fr/consultations/c-1/export", "Ville de Test",
                Instant.parse("2026-12-01T10:00:00Z"));
        String json = Json.write(metadata);

        JsonArray expanded = JsonLd.expand(JsonDocument.of(new StringReader(json))).get();
        assertThat(expanded).hasSize(1);
        JsonObject dataset = expanded.getJsonObject(0);
        assertThat(dataset.getJsonArray("@type").getString(0)).isEqualTo("http://www.w3.org/ns/dcat#Dataset");
        assertThat(dataset).containsKeys("http://purl.org/dc/terms/title", "http://purl.org/dc/terms/license",
                "http://purl.org/dc/terms/publisher", "http://purl.org/dc/terms/issued", "http://www.w3.org/ns/dcat#distribution");
        // Expansion drops what no context maps: the expanded document keeps every property we wrote.
        assertThat(countProperties(Json.tree(json))).isEqualTo(countExpanded(expanded));
        assertAbsoluteKeys(expanded);

        JsonArray distributions = dataset.getJsonArray("http://www.w3.org/ns/dcat#distribution");
        assertThat(distributions).hasSize(3);
        JsonObject csv = distributions.getJsonObject(0);
        JsonArray columns = csv.getJsonArray("http://www.w3.org/ns/csvw#tableSchema").getJsonObject(0)
                .getJsonArray("http://www.w3.org/ns/csvw#column");
        List<String> names = columns.stream().map(v -> v.asJsonObject().getJsonArray("http://www.w3.org/ns/csvw#name")
                .getJsonObject(0).getString("@value")).toList();
        String header = new String(OpenData.csv(RESULTS, OpenData.Dialect.RFC4180), StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        assertThat(String.join(",", names)).as("the schema names the CSV's columns, in order").isEqualTo(header);
    }

    private static List<CSVRecord> parse(String text, CSVFormat format) throws Exception {
        try (CSVParser parser = CSVParser.parse(text, format.builder().setHeader().setSkipHeaderRecord(true).get())) {
            return parser.getRecords();
        }
    }

    /** Properties of the compact document, @context and its members left out. */
    private static int countProperties(com.fasterxml.jackson.databind.JsonNode node) {
        int n = 0;
        if (node.isObject()) {
            for (var it = node.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().equals("@context")) {
                    continue;
                }
                if (!e.getKey().startsWith("@")) {
                    n++;
                }
                n += countProperties(e.getValue());
            }
        } else if (node.isArray()) {
            for (var item : node) {
                n += countProperties(item);
            }
        }
        return n;
    }

    private static int countExpanded(JsonValue value) {
        int n = 0;
        if (value instanceof JsonObject object) {
            for (var e : object.entrySet()) {
                if (!e.getKey().startsWith("@")) {
                    n++;
                }
                n += countExpanded(e.getValue());
            }
        } else if (value instanceof JsonArray array) {
            for (JsonValue item : array) {
                n += countExpanded(item);
            }
        }
        return n;
    }

    private static void assertAbsoluteKeys(JsonValue value) {
        if (value instanceof JsonObject object) {
            for (var e : object.entrySet()) {
                assertThat(e.getKey().startsWith("@") || e.getKey().startsWith("http")).as(e.getKey()).isTrue();
                assertAbsoluteKeys(e.getValue());
            }
        } else if (value instanceof JsonArray array) {
            array.forEach(OpenDataTest::assertAbsoluteKeys);
        }
    }
}
