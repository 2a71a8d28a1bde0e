package org.territoire.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.territoire.local.aws.TestRequests.agent;
import static org.territoire.local.aws.TestRequests.resident;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.MutableClock;
import org.territoire.local.aws.TestRequests;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.json.Json;
import org.territoire.telemetry.ingest.IngestService;
import org.territoire.telemetry.ngsi.NgsiLd;
import org.territoire.telemetry.ngsi.SmartDataModels;

/** The NGSI-LD subset the platform claims, through the handler against the local endpoint. */
class NgsiLdApiTest {
    private static final String CONTEXT = "https://api.territoire.example" + NgsiLd.CONTEXT_PATH;
    private static final String ERRORS = "https://uri.etsi.org/ngsi-ld/errors/";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    private TelemetryApiHandler api;
    private IngestService ingest;
    private String district;

    @BeforeEach
    void wire() {
        Wiring wiring = Wiring.of(LocalAws.shared().dynamoDb(), "TelemetryTable", clock, PaginationKey.load());
        var iot = org.territoire.shared.ddb.Aws.configure(software.amazon.awssdk.services.iot.IotClient.builder(), "IOT")
                .httpClient(org.territoire.shared.ddb.Aws.httpClient()).build();
        var devices = wiring.deviceService(new org.territoire.telemetry.store.IotThingProvisioner(iot, "DevicePolicy"));
        api = new TelemetryApiHandler(devices, new TelemetryQueries(devices, wiring.devices(), wiring.readings(), wiring.alerts(), wiring.districts(), 10), clock,
                wiring.idempotency());
        ingest = wiring.ingest((resource, occupied, at, device) -> { });
        district = "d-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anEntityById_isNormalizedWithTheContextInALinkHeader_orInlineForJsonLd_andKeyValuesOnRequest() {
        String air = register("AIR_QUALITY", 45.76, 4.83, null, null);
        feed(air, "2026-11-25T08:00:00Z", Map.of("pm10_ugm3", 40, "no2_ugm3", 12));
        String id = "urn:ngsi-ld:AirQualityObserved:" + air;

        ApiResponse json = get("/ngsi-ld/v1/entities/" + id, "application/json");
        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
        assertThat(json.headers()).containsEntry("content-type", "application/json")
                .containsEntry("link", "<" + CONTEXT + ">; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"");
        JsonNode normalized = Json.tree(json.body());
        assertThat(normalized.has("@context")).isFalse();
        assertThat(normalized.path("pm10").path("type").asText()).isEqualTo("Property");
        assertThat(normalized.path("pm10").path("unitCode").asText()).isEqualTo("GQ");

        ApiResponse ld = get("/ngsi-ld/v1/entities/" + id, "application/ld+json");
        assertThat(ld.headers()).containsEntry("content-type", "application/ld+json").doesNotContainKey("link");
        assertThat(Json.tree(ld.body()).path("@context").toString()).isEqualTo(Json.write(List.of(CONTEXT, NgsiLd.CORE_CONTEXT)));

        JsonNode keyValues = Json.tree(get("/ngsi-ld/v1/entities/" + id + "?options=keyValues", "application/json").body());
        assertThat(keyValues.path("pm10").asDouble()).isEqualTo(40.0);
        assertThat(keyValues.path("dateObserved").asText()).isEqualTo("2026-11-25T08:00:00.000Z");
        assertThat(SmartDataModels.errors("AirQualityObserved", keyValues)).isEmpty();
    }

    @Test
    void theServedContext_isPublic_andMapsTheTermsThatUsedToFallBackToTheDefaultVocabulary() {
        ApiResponse context = api.handle(TestRequests.event("GET", NgsiLd.CONTEXT_PATH, Map.of(), Map.of(), null));
        assertThat(context.statusCode()).isEqualTo(200);
        assertThat(context.headers()).containsEntry("content-type", "application/ld+json");
        JsonNode terms = Json.tree(context.body()).path("@context");
        assertThat(terms.path("WaterConsumptionObserved").asText()).isEqualTo("https://smartdatamodels.org/dataModel.WaterConsumption/WaterConsumptionObserved");
        assertThat(terms.path("PhotovoltaicMeasurement").asText()).isEqualTo("https://smartdatamodels.org/dataModel.GreenEnergy/PhotovoltaicMeasurement");
        assertThat(terms.path("LAeq").asText()).isEqualTo("https://smartdatamodels.org/dataModel.Environment/LAeq");
        assertThat(terms.has("totalEnergyGenerated")).as("no longer published").isFalse();
    }

    @Test
    void q_comparesPublishedAttributes_andGeoQueriesSelectByLocation() {
        String near = register("AIR_QUALITY", 45.7600, 4.8300, null, null);
        String far = register("AIR_QUALITY", 45.7700, 4.8300, null, null);
        feed(near, "2026-11-25T08:00:00Z", Map.of("pm10_ugm3", 40));
        feed(far, "2026-11-25T09:00:00Z", Map.of("pm10_ugm3", 20));
        String area = "areaServed==\"" + district + "\"";

        assertThat(ids("AirQualityObserved", area + ";pm10>30")).containsExactly(urn("AirQualityObserved", near));
        assertThat(ids("AirQualityObserved", area + ";pm10<=20")).containsExactly(urn("AirQualityObserved", far));
        assertThat(ids("AirQualityObserved", area + ";pm10!=40")).containsExactly(urn("AirQualityObserved", far));
        assertThat(ids("AirQualityObserved", area + ";dateObserved>2026-11-25T08:30:00Z")).containsExactly(urn("AirQualityObserved", far));
        assertThat(ids("AirQualityObserved", area + ";pm25>0")).as("an attribute an entity lacks matches nothing").isEmpty();

        // 45.76 to 45.77 degrees of latitude is 1.1 km.
        assertThat(ids("AirQualityObserved", area + "&georel=near;maxDistance==200&geometry=Point&coordinates=[4.8301,45.7601]"))
                .containsExactly(urn("AirQualityObserved", near));
        assertThat(ids("AirQualityObserved", area + "&georel=near;minDistance==500&geometry=Point&coordinates=[4.8301,45.7601]"))
                .containsExactly(urn("AirQualityObserved", far));
        assertThat(ids("AirQualityObserved", area
                + "&georel=within&geometry=Polygon&coordinates=[[[4.82,45.765],[4.84,45.765],[4.84,45.775],[4.82,45.775],[4.82,45.765]]]"))
                .containsExactly(urn("AirQualityObserved", far));
    }

    @Test
    void aParkingSpot_namesItsSite_whichIsPublishedFromTheSensorsThatNameIt() {
        String resource = "res-" + UUID.randomUUID();
        String watched = register("PARKING_SENSOR", 45.76, 4.83, null, resource);
        String street = register("PARKING_SENSOR", 45.761, 4.831, null, null);
        feed(watched, "2026-11-25T08:00:00Z", Map.of("occupied", true));
        feed(street, "2026-11-25T08:05:00Z", Map.of("occupied", false));

        JsonNode spot = keyValues("urn:ngsi-ld:ParkingSpot:" + watched);
        String siteId = "urn:ngsi-ld:OffStreetParking:" + district + ":" + resource;
        assertThat(spot.path("refParkingSite").asText()).isEqualTo(siteId);
        assertThat(spot.path("status").asText()).isEqualTo("occupied");
        assertThat(SmartDataModels.errors("ParkingSpot", spot)).isEmpty();
        JsonNode site = keyValues(siteId);
        assertThat(site.path("totalSpotNumber").asInt()).isEqualTo(1);
        assertThat(site.path("occupiedSpotNumber").asInt()).isEqualTo(1);
        assertThat(site.path("availableSpotNumber").asInt()).isZero();
        assertThat(SmartDataModels.errors("OffStreetParking", site)).isEmpty();

        JsonNode onStreet = keyValues(keyValues("urn:ngsi-ld:ParkingSpot:" + street).path("refParkingSite").asText());
        assertThat(onStreet.path("type").asText()).isEqualTo("OnStreetParking");
        assertThat(onStreet.path("availableSpotNumber").asInt()).isEqualTo(1);
        assertThat(SmartDataModels.errors("OnStreetParking", onStreet)).isEmpty();
        assertThat(ids("OffStreetParking", "areaServed==\"" + district + "\";availableSpotNumber==0")).containsExactly(siteId);
        assertThat(ids("ParkingSpot", "areaServed==\"" + district + "\";status==\"free\"")).containsExactly(urn("ParkingSpot", street));
    }

    @Test
    void everyModelThePlatformPublishes_answersWhatItsSchemaAccepts() {
        String noise = register("NOISE", 45.76, 4.83, null, null);
        feed(noise, "2026-11-25T08:00:00Z", Map.of("laeq_db", 55));
        feed(noise, "2026-11-25T08:10:00Z", Map.of("laeq_db", 61));
        String water = register("WATER_METER", 45.76, 4.83, null, null);
        feed(water, "2026-11-25T08:00:00Z", Map.of("volume_l", 12_345.6));
        String meter = register("ELECTRICITY_METER", 45.76, 4.83, null, null);
        feed(meter, "2026-11-25T08:00:00Z", Map.of("energy_kwh", 1234.5, "power_w", 1500));
        String pv = register("PV_PRODUCTION", 45.76, 4.83, null, null);
        feed(pv, "2026-11-25T08:00:00Z", Map.of("energy_kwh", 800, "power_w", 2500, "temperature_c", 31));

        JsonNode noiseLevel = keyValues(urn("NoiseLevelObserved", noise));
        assertThat(noiseLevel.path("dateObservedFrom").asText()).isEqualTo("2026-11-25T08:00:00.000Z");
        assertThat(noiseLevel.path("dateObservedTo").asText()).isEqualTo("2026-11-25T08:10:00.000Z");
        JsonNode consumption = keyValues(urn("WaterConsumptionObserved", water));
        assertThat(consumption.path("waterConsumption").isIntegralNumber()).isTrue();
        assertThat(consumption.path("waterConsumption").asLong()).isEqualTo(12);
        JsonNode power = Json.tree(get("/ngsi-ld/v1/entities/" + urn("ThreePhaseAcMeasurement", meter), "application/json").body());
        assertThat(power.path("totalActivePower").path("value").asDouble()).isEqualTo(1500.0);
        assertThat(power.path("totalActivePower").path("unitCode").asText()).isEqualTo("WTT");
        JsonNode solar = keyValues(urn("PhotovoltaicMeasurement", pv));
        assertThat(solar.path("refPhotovoltaicDevice").asText()).isEqualTo("urn:ngsi-ld:PhotovoltaicDevice:" + pv);
        assertThat(solar.path("temperature").asDouble()).isEqualTo(31.0);
        assertThat(solar.has("totalEnergyGenerated")).isFalse();
        for (JsonNode entity : List.of(noiseLevel, consumption, keyValues(urn("ThreePhaseAcMeasurement", meter)), solar)) {
            assertThat(SmartDataModels.errors(entity.path("type").asText(), entity)).as(entity.toString()).isEmpty();
        }

        String heat = register("HEAT_METER", 45.76, 4.83, null, null);
        feed(heat, "2026-11-25T08:00:00Z", Map.of("energy_kwh", 10));
        assertThat(api.handle(TestRequests.event("GET", "/devices/" + heat + "/ngsi-ld", resident("r"), Map.of(), null)).statusCode())
                .as("no Smart Data Model fits a heat meter").isEqualTo(404);
    }

    @Test
    void errors_carryNgsiLdErrorTypes_andPersonalDevicesAreNotFound() {
        String home = register("ELECTRICITY_METER", null, null, "alice-" + district, null);
        feed(home, "2026-11-25T08:00:00Z", Map.of("energy_kwh", 1));

        assertProblem(get("/ngsi-ld/v1/entities/" + urn("ThreePhaseAcMeasurement", home), "application/json"), 404, "ResourceNotFound");
        assertProblem(get("/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:nobody", "application/json"), 404, "ResourceNotFound");
        assertProblem(get("/ngsi-ld/v1/entities/not-a-urn", "application/json"), 404, "ResourceNotFound");
        assertProblem(get("/ngsi-ld/v1/entities?type=AirQualityObserved&q=pm10>>3", "application/json"), 400, "InvalidRequest");
        assertProblem(get("/ngsi-ld/v1/entities?type=AirQualityObserved&q=pm10>3", "application/json"), 400, "InvalidRequest");
        assertProblem(get("/ngsi-ld/v1/entities?type=AirQualityObserved&q=areaServed==\"x\"&georel=intersects&geometry=Point&coordinates=[1,2]",
                "application/json"), 400, "InvalidRequest");
        assertProblem(get("/ngsi-ld/v1/entities?type=Spaceship&q=areaServed==\"x\"", "application/json"), 400, "BadRequestData");
        ApiResponse anonymous = api.handle(TestRequests.event("GET", "/ngsi-ld/v1/entities?type=AirQualityObserved", Map.of(), Map.of(), null));
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    private static void assertProblem(ApiResponse response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode problem = Json.tree(response.body());
        assertThat(problem.path("type").asText()).isEqualTo(ERRORS + type);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).isNotBlank();
    }

    private List<String> ids(String type, String query) {
        ApiResponse r = get("/ngsi-ld/v1/entities?type=" + type + "&q=" + query, "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        Json.tree(r.body()).forEach(e -> ids.add(e.path("id").asText()));
        return ids;
    }

    private JsonNode keyValues(String id) {
        ApiResponse r = get("/ngsi-ld/v1/entities/" + id + "?options=keyValues", "application/json");
        assertThat(r.statusCode()).as(id + " " + r.body()).isEqualTo(200);
        return Json.tree(r.body());
    }

    private static String urn(String type, String device) {
        return "urn:ngsi-ld:" + type + ":" + device;
    }

    private ApiResponse get(String pathAndQuery, String accept) {
        var event = TestRequests.event("GET", pathAndQuery, resident("anyone"),
                Map.of("accept", accept, "host", "api.territoire.example", "x-forwarded-proto", "https"), null);
        return api.handle(event);
    }

    private String register(String kind, Double latitude, Double longitude, String owner, String resource) {
        String id = kind.toLowerCase().replace('_', '-') + "-" + UUID.randomUUID();
        StringBuilder body = new StringBuilder("{\"id\":\"%s\",\"kind\":\"%s\",\"district\":\"%s\"".formatted(id, kind, district));
        if (latitude != null) {
            body.append(",\"latitude\":%s,\"longitude\":%s".formatted(latitude, longitude));
        }
        if (owner != null) {
            body.append(",\"ownerId\":\"%s\"".formatted(owner));
        }
        if (resource != null) {
            body.append(",\"resourceId\":\"%s\"".formatted(resource));
        }
        ApiResponse created = api.handle(TestRequests.event("POST", "/devices", agent(), Map.of(), body.append('}').toString()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return id;
    }

    private void feed(String deviceId, String at, Map<String, Object> values) {
        StringBuilder fields = new StringBuilder();
        values.forEach((k, v) -> fields.append(",\"").append(k).append("\":").append(v));
        var outcome = ingest.ingest(Json.tree("{\"deviceId\":\"%s\",\"district\":\"%s\",\"clientId\":\"%s\",\"at\":\"%s\"%s}"
                .formatted(deviceId, district, deviceId, at, fields)));
        assertThat(outcome.stored()).as(outcome.rejected().toString()).isEqualTo(1);
    }
}
