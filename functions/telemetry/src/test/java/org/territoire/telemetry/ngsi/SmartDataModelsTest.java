package org.territoire.telemetry.ngsi;

import static org.assertj.core.api.Assertions.assertThat;

import com.apicatalog.jsonld.JsonLd;
import com.apicatalog.jsonld.JsonLdError;
import com.apicatalog.jsonld.JsonLdErrorCode;
import com.apicatalog.jsonld.JsonLdOptions;
import com.apicatalog.jsonld.document.JsonDocument;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.territoire.shared.json.Json;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.reading.Reading;

/**
 * Every entity the platform can publish, read by third parties: its key-values form validated
 * against the model's official schema.json (networknt, JSON Schema 2020-12, with the vendored
 * schemas as the only registry: nothing is fetched), and its normalized form expanded by
 * Titanium (W3C JSON-LD 1.1) against the served context and the vendored NGSI-LD core
 * context, with every term at its Smart Data Models IRI and none at the default vocabulary.
 * The vendored files and their sources: src/test/resources/smart-data-models/README.md.
 */
// Not tagged "unit": Titanium's first expansion alone takes seconds.
class SmartDataModelsTest {
    private static final String CONTEXT_URL = "https://api.territoire.example" + NgsiLd.CONTEXT_PATH;
    private static final String DEFAULT_VOCAB = "https://uri.etsi.org/ngsi-ld/default-context/";
    private static final Instant CREATED = Instant.parse("2026-10-01T08:00:00Z");
    private static final Instant AT = Instant.parse("2026-11-25T08:00:00Z");

    /** The domain whose context.jsonld defines each type's terms. */
    private static final Map<String, String> DOMAIN = Map.of(
            "AirQualityObserved", "Environment", "NoiseLevelObserved", "Environment",
            "ParkingSpot", "Parking", "OffStreetParking", "Parking", "OnStreetParking", "Parking",
            "WaterConsumptionObserved", "WaterConsumption", "ThreePhaseAcMeasurement", "Energy",
            "PhotovoltaicMeasurement", "GreenEnergy");

    @Test
    void everyPublishableEntity_validatesAgainstItsModelsSchema() {
        for (NgsiLd.Entity entity : everyEntity()) {
            Map<String, Object> keyValues = NgsiLd.keyValues(entity, false, CONTEXT_URL);
            assertThat(errors(entity.type(), keyValues)).as(entity.id() + " " + Json.write(keyValues)).isEmpty();
        }
    }

    @Test
    void theSchemas_catchWhatTheIssueFound() {
        // The validator is not idle: last session's shapes fail as the issue reported them.
        assertThat(errors("ParkingSpot", Map.of("id", "urn:ngsi-ld:ParkingSpot:s", "type", "ParkingSpot", "status", "free",
                "category", List.of("onStreet"), "location", Map.of("type", "Point", "coordinates", List.of(4.8, 45.7)))))
                .anyMatch(m -> m.contains("refParkingSite"));
        assertThat(errors("WaterConsumptionObserved", Map.of("id", "urn:ngsi-ld:WaterConsumptionObserved:w", "type",
                "WaterConsumptionObserved", "waterConsumption", 12.345))).anyMatch(m -> m.contains("integer"));
        assertThat(errors("NoiseLevelObserved", Map.of("id", "urn:ngsi-ld:NoiseLevelObserved:n", "type", "NoiseLevelObserved",
                "LAeq", 55.0, "location", Map.of("type", "Point", "coordinates", List.of(4.8, 45.7)))))
                .anyMatch(m -> m.contains("dateObservedFrom"));
        assertThat(errors("AirQualityObserved", Map.of("id", "urn:ngsi-ld:AirQualityObserved:a", "type", "AirQualityObserved",
                "dateObserved", "yesterday", "location", Map.of("type", "Point", "coordinates", List.of(4.8, 45.7)))))
                .as("formats are asserted").anyMatch(m -> m.contains("date-time"));
    }

    @Test
    void aSolarInverterThatMeasuresNoTemperature_lacksOnlyTheTemperatureTheSchemaRequires() {
        Device pv = device(DeviceKind.PV_PRODUCTION, null);
        NgsiLd.Entity entity = NgsiLd.entity(pv, new Reading(pv.id(), AT, Map.of("energy_kwh", 1200.0, "power_w", 2500.0)), null);
        // The schema requires temperature as a number and has no "not measured" value: the platform
        // publishes no invented figure, so this one entity is knowingly short of that attribute.
        assertThat(errors("PhotovoltaicMeasurement", NgsiLd.keyValues(entity, false, CONTEXT_URL)))
                .singleElement().asString().contains("required").contains("temperature");
    }

    @Test
    void theNormalizedForm_expandsWithEveryTermAtItsSmartDataModelsIri() throws Exception {
        Map<String, Map<String, String>> domains = new HashMap<>();
        for (String domain : Set.copyOf(DOMAIN.values())) {
            domains.put(domain, iris(Json.tree(resource("ctx-dataModel." + domain + ".jsonld")).path("@context")));
        }
        Map<String, String> core = iris(core());
        Set<String> used = new HashSet<>();
        Map<URI, JsonDocument> loaded = new HashMap<>();
        for (NgsiLd.Entity entity : everyEntity()) {
            String json = Json.write(NgsiLd.normalized(entity, true, CONTEXT_URL));
            JsonLdOptions options = new JsonLdOptions();
            options.setDocumentLoader((url, o) -> {
                if (!loaded.containsKey(url)) {
                    loaded.put(url, contextDocument(url));
                }
                return loaded.get(url);
            });
            JsonArray expanded = JsonLd.expand(JsonDocument.of(new StringReader(json))).options(options).get();
            assertThat(expanded).hasSize(1);
            JsonObject node = expanded.getJsonObject(0);
            Map<String, String> domain = domains.get(DOMAIN.get(entity.type()));
            assertThat(node.getJsonArray("@type").getString(0)).as(entity.type()).isEqualTo(domain.get(entity.type()));
            Set<String> expected = new HashSet<>();
            for (NgsiLd.Attribute a : entity.attributes()) {
                // The model's own context gives the IRI; core terms (location, status) are the core's.
                String iri = core.containsKey(a.name()) ? core.get(a.name()) : domain.get(a.name());
                assertThat(iri).as(entity.type() + "." + a.name() + " is in its model's context").isNotNull();
                expected.add(iri);
                used.add(a.name());
            }
            Set<String> keys = new HashSet<>(node.keySet());
            keys.remove("@id");
            keys.remove("@type");
            assertThat(keys).as(entity.id() + ": every attribute kept, each at its model's IRI").isEqualTo(expected);
            assertThat(allIris(node)).as(entity.id() + ": nothing at the default vocabulary").noneMatch(i -> i.startsWith(DEFAULT_VOCAB));
            used.add(entity.type());
        }
        assertThat(used).as("the served context names only terms an entity uses").containsAll(NgsiLd.terms().keySet());
    }

    @Test
    void keyValues_isTheNormalizedFormSimplified() {
        for (NgsiLd.Entity entity : everyEntity()) {
            JsonNode normalized = Json.MAPPER.valueToTree(NgsiLd.normalized(entity, false, CONTEXT_URL));
            ObjectNode simplified = Json.MAPPER.createObjectNode();
            normalized.properties().forEach(e -> {
                JsonNode v = e.getValue();
                simplified.set(e.getKey(), !v.isObject() ? v
                        : v.path("type").asText().equals("Relationship") ? v.get("object")
                        : v.path("value").has("@value") ? v.path("value").get("@value") : v.get("value"));
            });
            assertThat(simplified).isEqualTo(Json.MAPPER.valueToTree(NgsiLd.keyValues(entity, false, CONTEXT_URL)));
        }
    }

    @Test
    void theUnitsAreTheModelsUnits() {
        Map<String, NgsiLd.Entity> byType = everyEntity().stream().collect(Collectors.toMap(NgsiLd.Entity::type, e -> e, (a, b) -> a));
        NgsiLd.Entity meter = byType.get("ThreePhaseAcMeasurement");
        assertThat(meter.attribute("totalActivePower").unitCode()).isEqualTo("WTT");
        assertThat(meter.attribute("totalActivePower").value()).as("watts, as sent").isEqualTo(1500.0);
        NgsiLd.Entity pv = byType.get("PhotovoltaicMeasurement");
        assertThat(pv.attribute("activePower").unitCode()).isEqualTo("KWT");
        assertThat(pv.attribute("activePower").value()).as("kilowatts").isEqualTo(2.5);
        assertThat(pv.attribute("totalEnergyGenerated")).as("not in the model").isNull();
        NgsiLd.Entity water = byType.get("WaterConsumptionObserved");
        assertThat(water.attribute("waterConsumption").value()).as("whole cubic metres of 12 345 litres").isEqualTo(12L);
        assertThat(water.attribute("waterConsumption").unitCode()).isEqualTo("MTQ");
        assertThat(NgsiLd.type(DeviceKind.HEAT_METER)).as("no Smart Data Model fits heat").isNull();
    }

    @Test
    void aNoiseLevel_isObservedOverTheWindowSinceThePreviousReport() {
        Device noise = device(DeviceKind.NOISE, null);
        NgsiLd.Entity e = NgsiLd.entity(noise, new Reading(noise.id(), AT, Map.of("laeq_db", 61.0)),
                new Reading(noise.id(), AT.minusSeconds(600), Map.of("laeq_db", 58.0)));
        assertThat(e.attribute("dateObservedFrom").value()).isEqualTo(AT.minusSeconds(600));
        assertThat(e.attribute("dateObservedTo").value()).isEqualTo(AT);
        assertThat(e.attribute("dateObserved").value()).isEqualTo(AT.minusSeconds(600) + "/" + AT);
        NgsiLd.Entity first = NgsiLd.entity(noise, new Reading(noise.id(), AT, Map.of("laeq_db", 61.0)), null);
        assertThat(first.attribute("dateObservedFrom").value()).as("the first report's window opens at registration").isEqualTo(CREATED);
    }

    /**
     * One entity of every kind of device with a model, each with every field its kind sends, and
     * the variants: spots off and on street with the sites they make, a first noise report.
     */
    static List<NgsiLd.Entity> everyEntity() {
        List<NgsiLd.Entity> entities = new ArrayList<>();
        for (DeviceKind kind : DeviceKind.values()) {
            if (NgsiLd.type(kind) == null) {
                continue;
            }
            Device d = device(kind, kind == DeviceKind.PARKING_SENSOR ? "resource-1" : null);
            entities.add(NgsiLd.entity(d, new Reading(d.id(), AT, sample(kind)), new Reading(d.id(), AT.minusSeconds(300), sample(kind))));
        }
        Device offStreet = device(DeviceKind.PARKING_SENSOR, "resource-1");
        Device offStreet2 = new Device("spot-2", DeviceKind.PARKING_SENSOR, "centre", 45.7601, 4.8301, null, "resource-1", null, CREATED, "agent");
        Device onStreet = new Device("spot-3", DeviceKind.PARKING_SENSOR, "centre", 45.761, 4.831, null, null, null, CREATED, "agent");
        entities.add(NgsiLd.entity(onStreet, new Reading(onStreet.id(), AT, Map.of("occupied", 0.0)), null));
        entities.add(NgsiLd.site(NgsiLd.site(offStreet), "OffStreetParking", "centre", List.of(
                new NgsiLd.Spot(offStreet, new Reading(offStreet.id(), AT, Map.of("occupied", 1.0))),
                new NgsiLd.Spot(offStreet2, new Reading(offStreet2.id(), AT.minusSeconds(60), Map.of("occupied", 0.0))))));
        entities.add(NgsiLd.site(NgsiLd.site(onStreet), "OnStreetParking", "centre", List.of(
                new NgsiLd.Spot(onStreet, new Reading(onStreet.id(), AT, Map.of("occupied", 0.0))),
                new NgsiLd.Spot(new Device("spot-4", DeviceKind.PARKING_SENSOR, "centre", 45.762, 4.832, null, null, null, CREATED, "agent"),
                        null))));
        Device noise = device(DeviceKind.NOISE, null);
        entities.add(NgsiLd.entity(noise, new Reading(noise.id(), AT, Map.of("laeq_db", 61.0)), null));
        assertThat(entities.stream().map(NgsiLd.Entity::type).collect(Collectors.toSet())).containsExactlyInAnyOrderElementsOf(NgsiLd.TYPES);
        return entities;
    }

    private static Device device(DeviceKind kind, String resourceId) {
        return new Device(kind.name().toLowerCase() + "-1", kind, "centre", 45.76, 4.83, null, resourceId, null, CREATED, "agent");
    }

    /** Every field the kind sends, at a plausible value (flags set). */
    private static Map<String, Double> sample(DeviceKind kind) {
        Map<String, Double> values = new LinkedHashMap<>();
        kind.metrics().values().forEach(m -> values.put(m.field(), m.flag() ? 1.0 : switch (m.field()) {
            case "volume_l" -> 12_345.0;
            case "power_w" -> kind == DeviceKind.PV_PRODUCTION ? 2500.0 : 1500.0;
            case "temperature_c" -> 25.0;
            default -> Math.min(m.max(), 40.0);
        }));
        return values;
    }

    private static List<String> errors(String type, Map<String, Object> keyValues) {
        return SmartDataModels.errors(type, Json.MAPPER.valueToTree(keyValues));
    }

    private static InputStream resource(String file) {
        return SmartDataModels.resource(file);
    }

    /** The served context and the vendored core context (v1.7, from the vendored file's versions); nothing else. */
    private static JsonDocument contextDocument(URI url) throws JsonLdError {
        String json;
        if (url.toString().equals(CONTEXT_URL)) {
            json = Json.write(NgsiLd.context());
        } else if (url.toString().equals(NgsiLd.CORE_CONTEXT)) {
            json = Json.write(Map.of("@context", core()));
        } else {
            throw new JsonLdError(JsonLdErrorCode.LOADING_DOCUMENT_FAILED, "not vendored, and never fetched: " + url);
        }
        return JsonDocument.of(new StringReader(json));
    }

    private static JsonNode core() {
        return Json.tree(resource("ngsi-ld-core-context.jsonld")).path("1.7");
    }

    /** A context's terms as absolute IRIs (compact IRIs resolved through its prefixes). */
    private static Map<String, String> iris(JsonNode context) {
        Map<String, String> raw = new HashMap<>();
        context.properties().forEach(e -> {
            JsonNode v = e.getValue();
            if (v.isTextual()) {
                raw.put(e.getKey(), v.asText());
            } else if (v.has("@id")) {
                raw.put(e.getKey(), v.get("@id").asText());
            }
        });
        Map<String, String> iris = new HashMap<>();
        raw.forEach((term, iri) -> {
            int colon = iri.indexOf(':');
            String prefix = colon > 0 ? iri.substring(0, colon) : null;
            iris.put(term, prefix != null && raw.containsKey(prefix) && !iri.startsWith(prefix + "://")
                    ? raw.get(prefix) + iri.substring(colon + 1) : iri);
        });
        return iris;
    }

    /** Every property IRI and @type value in an expanded document. */
    private static Set<String> allIris(JsonValue value) {
        Set<String> iris = new HashSet<>();
        if (value instanceof JsonObject o) {
            o.forEach((k, v) -> {
                if (!k.startsWith("@")) {
                    iris.add(k);
                }
                if (k.equals("@type")) {
                    (v instanceof JsonArray a ? a : List.of(v)).forEach(t -> iris.add(((jakarta.json.JsonString) t).getString()));
                } else {
                    iris.addAll(allIris(v));
                }
            });
        } else if (value instanceof JsonArray a) {
            a.forEach(v -> iris.addAll(allIris(v)));
        }
        return iris;
    }
}
