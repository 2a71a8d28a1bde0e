package org.territoire.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.territoire.local.aws.TestRequests.agent;
import static org.territoire.local.aws.TestRequests.resident;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.TestRequests;
import org.territoire.local.aws.MutableClock;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.HttpApiEvent;
import org.territoire.shared.json.Json;
import org.territoire.telemetry.ingest.IngestService;
import org.territoire.telemetry.store.IotThingProvisioner;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateStatus;

/** The query API against the local endpoint, with devices registered as IoT things there: privacy first. */
class TelemetryApiTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    private Wiring wiring;
    private TelemetryApiHandler api;
    private IngestService ingest;
    private String district;
    private IotClient iot;

    @BeforeEach
    void wire() {
        LocalAws aws = LocalAws.shared();
        wiring = Wiring.of(aws.dynamoDb(), "TelemetryTable", clock, PaginationKey.load());
        iot = Aws.configure(IotClient.builder(), "IOT").httpClient(Aws.httpClient()).build();
        var devices = wiring.deviceService(new IotThingProvisioner(iot, "DevicePolicy"));
        api = new TelemetryApiHandler(devices, new TelemetryQueries(devices, wiring.devices(), wiring.readings(), wiring.alerts(), wiring.districts(), 10)
                .honouring(wiring.consents()), clock,
                wiring.idempotency());
        ingest = wiring.ingest((resource, occupied, at, device) -> { });
        district = "d-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void registration_makesAnIotThingWithItsOwnCertificate_andOnlyAgentsRegister() {
        ApiResponse created = send("POST", "/devices", agent(), """
                {"id":"air-%s","kind":"AIR_QUALITY","district":"%s","latitude":45.76,"longitude":4.83,"name":"Place du marché"}"""
                .formatted(district, district));
        ApiResponse byResident = send("POST", "/devices", resident("r"), "{\"id\":\"x-1\",\"kind\":\"NOISE\",\"district\":\"centre\"}");
        ApiResponse bad = send("POST", "/devices", agent(), "{\"id\":\"X\",\"kind\":\"NOISE\",\"district\":\"centre\",\"latitude\":100,\"ownerId\":\"me\"}");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode credentials = Json.tree(created.body()).path("credentials");
        assertThat(credentials.path("thingName").asText()).isEqualTo("air-" + district);
        assertThat(credentials.path("certificatePem").asText()).startsWith("-----BEGIN CERTIFICATE-----");
        // No CSR: AWS made the key pair, and the key is shown in this answer, in a field of its own.
        assertThat(Json.tree(created.body()).path("privateKey").asText()).contains("PRIVATE KEY");
        assertThat(credentials.has("privateKey")).isFalse();
        assertThat(byResident.statusCode()).isEqualTo(403);
        assertThat(Json.tree(bad.body()).path("errors").findValuesAsText("field")).contains("id", "latitude", "longitude", "ownerId");
        assertThat(send("POST", "/devices", agent(), "{\"id\":\"air-%s\",\"kind\":\"AIR_QUALITY\",\"district\":\"%s\"}"
                .formatted(district, district)).statusCode()).isEqualTo(409);
    }

    @Test
    void registrationWithACsr_issuesACertificateForTheDevicesOwnKey_andAnswersNoPrivateKey() throws Exception {
        for (String type : new String[] {"RSA", "EC"}) {
            String id = type.toLowerCase() + "-meter-" + district;
            String csr = Csrs.pem(id, Csrs.keyPair(type.equals("RSA") ? "RSA-2048" : "EC-P-256"));

            ApiResponse created = send("POST", "/devices", agent(), Json.write(Map.of("id", id, "kind", "ELECTRICITY_METER",
                    "district", district, "ownerId", "resident-1", "csr", csr)));

            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode body = Json.tree(created.body());
            assertThat(body.has("privateKey")).isFalse();
            assertThat(created.body()).doesNotContain("PRIVATE KEY");
            String arn = body.path("credentials").path("certificateArn").asText();
            // What the local control plane (moto) now knows, as IoT Core would.
            var thing = iot.describeThing(t -> t.thingName(id));
            assertThat(thing.attributes()).containsEntry("district", district).containsEntry("kind", "ELECTRICITY_METER");
            assertThat(iot.listThingPrincipals(p -> p.thingName(id)).principals()).containsExactly(arn);
            var certificate = iot.describeCertificate(c -> c.certificateId(arn.substring(arn.lastIndexOf('/') + 1))).certificateDescription();
            assertThat(certificate.status()).isEqualTo(CertificateStatus.ACTIVE);
            assertThat(certificate.certificatePem()).isEqualTo(body.path("credentials").path("certificatePem").asText());
            assertThat(iot.listAttachedPolicies(p -> p.target(arn)).policies()).extracting(p -> p.policyName()).containsExactly("DevicePolicy");
        }
    }

    @Test
    void aCsrThatIsNotAValidRequestOrHasAWeakKey_is400NamingCsr_andRegistersNothing() throws Exception {
        var weak = Csrs.keyPair("RSA-1024");
        var other = Csrs.keyPair("EC-P-256");
        String good = Csrs.pem("x", Csrs.keyPair("EC-P-256"));
        java.util.Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("not pem", "hello");
        refused.put("not der", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----");
        refused.put("a certificate", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----");
        refused.put("rsa 1024", Csrs.pem("weak", weak));
        refused.put("ec p-521", Csrs.pem("p521", Csrs.keyPair("EC-P-521")));
        refused.put("signed by another key", Csrs.pemSignedBy("forged", other.getPublic(), Csrs.keyPair("EC-P-256").getPrivate()));
        refused.put("truncated", good.substring(0, good.length() / 2) + "\n-----END CERTIFICATE REQUEST-----");
        int n = 0;
        for (var e : refused.entrySet()) {
            String id = "bad-csr-" + n++ + "-" + district;
            ApiResponse answer = send("POST", "/devices", agent(), Json.write(Map.of("id", id, "kind", "NOISE", "district", district,
                    "csr", e.getValue())));

            assertThat(answer.statusCode()).as(e.getKey() + ": " + answer.body()).isEqualTo(400);
            assertThat(Json.tree(answer.body()).path("errors").findValuesAsText("field")).as(e.getKey()).containsExactly("csr");
            assertThat(answer.body()).as(e.getKey()).doesNotContain(e.getValue().length() > 100 ? e.getValue().substring(40, 100) : e.getValue());
            assertThat(wiring.devices().find(id)).as(e.getKey()).isEmpty();
            assertThat(iot.listThings().things()).as(e.getKey()).noneMatch(t -> t.thingName().equals(id));
        }
    }

    @Test
    void aRegistrationWhoseThingCannotBeProvisioned_leavesNoDevice_andCanBeRetried() {
        var failing = wiring.deviceService((device, csr) -> {
            throw org.territoire.shared.ddb.StorageException.busy("IoT is throttling", null);
        });
        var flaky = new TelemetryApiHandler(failing, new TelemetryQueries(failing, wiring.devices(), wiring.readings(), wiring.alerts(), wiring.districts(), 10), clock,
                wiring.idempotency());
        String body = "{\"id\":\"noise-%s\",\"kind\":\"NOISE\",\"district\":\"%s\"}".formatted(district, district);

        ApiResponse refused = flaky.handle(new HttpApiEvent(UUID.randomUUID().toString(), "POST", "/devices", Map.of(), Map.of(), Map.of(), body, agent()));

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(wiring.devices().find("noise-" + district)).isEmpty();
        assertThat(send("POST", "/devices", agent(), body).statusCode()).isEqualTo(201);
    }

    @Test
    void aHomeDevicesData_isReadByItsOwnerOnly_notByAgents_norNeighbours() {
        String meter = register("ELECTRICITY_METER", "alice-" + district);
        feed(meter, "2026-11-25T10:00:00Z", "energy_kwh", 100);
        feed(meter, "2026-11-25T11:00:00Z", "energy_kwh", 103.5);

        assertThat(send("GET", "/devices/" + meter + "/latest", resident("alice-" + district), null).statusCode()).isEqualTo(200);
        JsonNode days = Json.tree(send("GET", "/devices/" + meter + "/rollups?period=day&from=2026-11-25&to=2026-11-25",
                resident("alice-" + district), null).body());
        assertThat(days.path("items").get(0).path("consumption").asDouble()).isEqualTo(3.5);
        JsonNode pageOne = Json.tree(send("GET", "/devices/" + meter + "/readings?from=2026-11-25T00:00:00Z&to=2026-11-25T12:00:00Z&limit=1",
                resident("alice-" + district), null).body());
        assertThat(pageOne.path("items")).hasSize(1);
        JsonNode pageTwo = Json.tree(send("GET", "/devices/" + meter + "/readings?from=2026-11-25T00:00:00Z&to=2026-11-25T12:00:00Z&limit=1&nextToken="
                + pageOne.path("nextToken").asText(), resident("alice-" + district), null).body());
        assertThat(pageTwo.path("items").get(0).path("values").path("energy_kwh").asDouble()).isEqualTo(103.5);
        for (String path : new String[] {"/latest", "/readings", "/rollups", ""}) {
            assertThat(send("GET", "/devices/" + meter + path, agent(), null).statusCode()).as("agent " + path).isEqualTo(404);
            assertThat(send("GET", "/devices/" + meter + path, resident("bob"), null).statusCode()).as("neighbour " + path).isEqualTo(404);
        }
        assertThat(send("GET", "/devices/" + meter + "/ngsi-ld", resident("alice-" + district), null).statusCode()).isEqualTo(404);
    }

    @Test
    void districtAggregatesOfHouseholdData_areSuppressedUnder10Households_andShownFrom10() {
        for (int h = 0; h < 9; h++) {
            String meter = register("ELECTRICITY_METER", "home-" + h + "-" + district);
            feed(meter, "2026-11-25T08:00:00Z", "energy_kwh", 1000);
            feed(meter, "2026-11-25T09:00:00Z", "energy_kwh", 1002);
        }
        JsonNode nine = aggregate("ELECTRICITY_METER");
        assertThat(nine.path("suppressed").asBoolean()).isTrue();
        assertThat(nine.has("consumption")).as("withheld, not rounded").isFalse();

        String tenth = register("ELECTRICITY_METER", "home-9-" + district);
        feed(tenth, "2026-11-25T08:00:00Z", "energy_kwh", 500);
        feed(tenth, "2026-11-25T09:00:00Z", "energy_kwh", 504);
        JsonNode ten = aggregate("ELECTRICITY_METER");
        assertThat(ten.path("suppressed").asBoolean()).isFalse();
        assertThat(ten.path("households").asInt()).isEqualTo(10);
        assertThat(ten.path("consumption").asDouble()).isEqualTo(9 * 2 + 4);
    }

    @Test
    void households_countInDistrictAggregates_onlyWhileTheirOwnerChoosesTo_andTheChoiceIsRecordedWithItsTime() {
        for (int h = 0; h < 10; h++) {
            String meter = register("ELECTRICITY_METER", "sharing-" + h + "-" + district);
            feed(meter, "2026-11-25T08:00:00Z", "energy_kwh", 1000);
            feed(meter, "2026-11-25T09:00:00Z", "energy_kwh", 1001);
        }
        // One household revokes its choice before the sweep computes those hours: it does not count, and ten are no longer there.
        ApiResponse revoked = send("PUT", "/me/telemetry/consent", resident("sharing-0-" + district), "{\"shareInDistrictAggregates\":false}");
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        JsonNode nine = aggregate("ELECTRICITY_METER");
        assertThat(nine.path("suppressed").asBoolean()).as(nine.toString()).isTrue();
        JsonNode choice = Json.tree(send("GET", "/me/telemetry/consent", resident("sharing-0-" + district), null).body());
        assertThat(choice.path("shareInDistrictAggregates").asBoolean()).isFalse();
        assertThat(Instant.parse(choice.path("at").asText())).isNotNull();
        // Never chosen reads as not sharing; a choice must be a boolean.
        JsonNode never = Json.tree(send("GET", "/me/telemetry/consent", resident("never-" + district), null).body());
        assertThat(never.path("shareInDistrictAggregates").asBoolean()).isFalse();
        assertThat(never.path("at").isNull() || never.path("at").isMissingNode()).as("no time for a choice never made").isTrue();
        ApiResponse bad = send("PUT", "/me/telemetry/consent", resident("x"), "{\"shareInDistrictAggregates\":\"yes\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        ApiResponse missing = send("PUT", "/me/telemetry/consent", resident("x"), "{}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("shareInDistrictAggregates");
    }

    @Test
    void healthData_isNeverAggregated_andPublicDevices_areAggregatedWithoutThreshold() {
        String sensor = register("AIR_QUALITY", null);
        feed(sensor, "2026-11-25T08:00:00Z", "pm10_ugm3", 20);
        feed(sensor, "2026-11-25T09:00:00Z", "pm10_ugm3", 40);

        assertThat(send("GET", "/districts/" + district + "/aggregates?kind=HEALTH_DEVICE&period=2026-11-25", agent(), null).statusCode())
                .isEqualTo(403);
        JsonNode air = aggregate("AIR_QUALITY");
        assertThat(air.path("metrics").path("pm10_ugm3").path("average").asDouble()).isEqualTo(30.0);
        JsonNode entity = Json.tree(send("GET", "/devices/" + sensor + "/ngsi-ld", resident("anyone"), null).body());
        assertThat(entity.path("type").asText()).isEqualTo("AirQualityObserved");
        assertThat(entity.path("pm10").path("value").asDouble()).isEqualTo(40.0);
        assertThat(entity.path("location").path("value").path("coordinates").get(0).asDouble()).isEqualTo(4.83);
        String home = register("ELECTRICITY_METER", "hidden-" + district);
        feed(home, "2026-11-25T08:00:00Z", "energy_kwh", 1);
        JsonNode listed = Json.tree(send("GET", "/ngsi-ld/v1/entities?type=AirQualityObserved&q=areaServed==\"" + district + "\"",
                resident("anyone"), null).body());
        assertThat(listed.findValuesAsText("id")).containsExactly("urn:ngsi-ld:AirQualityObserved:" + sensor);
        JsonNode meters = Json.tree(send("GET", "/ngsi-ld/v1/entities?type=ThreePhaseAcMeasurement&q=areaServed==\"" + district + "\"",
                resident("anyone"), null).body());
        assertThat(meters).as("a household's meter is never published").isEmpty();
        assertThat(send("GET", "/ngsi-ld/v1/entities?type=Spaceship&q=areaServed==\"x\"", resident("a"), null).statusCode()).isEqualTo(400);
    }

    @Test
    void aResident_exportsThenErasesAllTheirDevicesData_andNothingIsLeft() {
        String owner = "erin-" + district;
        String meter = register("WATER_METER", owner);
        String thermo = register("HOME_SENSOR", owner);
        feed(meter, "2026-11-25T10:00:00Z", "volume_l", 5000);
        feed(thermo, "2026-11-25T10:00:00Z", "temperature_c", 19.5);
        feed(meter, "2026-11-25T11:00:00Z", "volume_l", 5001);
        feed(thermo, "2026-11-25T11:00:00Z", "temperature_c", 19.0);

        JsonNode first = Json.tree(send("GET", "/me/telemetry?limit=3", resident(owner), null).body());
        assertThat(first.path("devices")).hasSize(2);
        java.util.List<JsonNode> records = new java.util.ArrayList<>();
        first.path("records").forEach(records::add);
        String token = first.path("nextToken").asText(null);
        while (token != null) {
            JsonNode page = Json.tree(send("GET", "/me/telemetry?limit=3&nextToken=" + token, resident(owner), null).body());
            page.path("records").forEach(records::add);
            token = page.path("nextToken").asText(null);
        }
        // Per device: two readings and the closed hour (the open hour is derived from its readings when read; days and months from the hours).
        assertThat(records).extracting(r -> r.path("deviceId").asText() + ":" + r.path("type").asText()).containsExactlyInAnyOrder(
                meter + ":reading", meter + ":reading", meter + ":hour", thermo + ":reading", thermo + ":reading", thermo + ":hour");

        JsonNode erased = Json.tree(send("DELETE", "/me/telemetry", resident(owner), null).body());
        assertThat(erased.path("erasedItems").asInt()).isGreaterThanOrEqualTo(2 * 4);
        for (String device : new String[] {meter, thermo}) {
            assertThat(wiring.readings().between(device, Instant.EPOCH, Instant.parse("2030-01-01T00:00:00Z"))).isEmpty();
            for (String period : new String[] {"H#", "D#", "M#"}) {
                assertThat(wiring.readings().rollups(device, period, period + "~")).isEmpty();
            }
            assertThat(wiring.readings().latest(device)).isEmpty();
        }
        assertThat(send("GET", "/devices/" + meter + "/latest", resident(owner), null).statusCode()).isEqualTo(404);
    }

    @Test
    void rangesAtTheEndsOfInstant_orOutsideTheirWindow_are400_namingTheField() {
        String air = register("AIR_QUALITY", null);
        Map<String, String> queries = new java.util.LinkedHashMap<>();
        for (String extreme : java.util.List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z")) {
            queries.put("/readings?from=" + extreme, "from");
            queries.put("/readings?to=" + extreme, "to");
            queries.put("/rollups?period=hour&from=" + extreme, "from");
            queries.put("/rollups?period=hour&to=" + extreme, "to");
            String day = extreme.substring(0, extreme.indexOf('T'));
            queries.put("/rollups?period=day&from=" + day, "from");
            queries.put("/rollups?period=day&to=" + day, "to");
            String month = day.substring(0, day.lastIndexOf('-'));
            queries.put("/rollups?period=month&from=" + month, "from");
            queries.put("/rollups?period=month&to=" + month, "to");
        }
        queries.put("/readings?from=2019-11-25T00:00:00Z", "from");
        queries.put("/rollups?period=day&to=2026-12-25", "to");

        queries.forEach((query, field) -> {
            ApiResponse response = send("GET", "/devices/" + air + query.replace("+", "%2B"), resident("x"), null);
            assertThat(response.statusCode()).as(query + " " + response.body()).isEqualTo(400);
            assertThat(Json.tree(response.body()).path("errors").findValuesAsText("field")).as(query).contains(field);
        });
    }

    @Test
    void daysAndMonths_areThoseOfTheTerritorysZone() {
        String previous = org.territoire.shared.config.Env.get("TERRITORY_TIME_ZONE").orElse("");
        org.territoire.shared.config.Env.override(Map.of("TERRITORY_TIME_ZONE", "America/New_York"));
        try {
            var devices = wiring.deviceService(new IotThingProvisioner(Aws.configure(IotClient.builder(), "IOT").httpClient(Aws.httpClient()).build(),
                    "DevicePolicy"));
            api = new TelemetryApiHandler(devices, wiring.queries(devices), clock, wiring.idempotency());
            ingest = wiring.ingest((resource, occupied, at, device) -> { });
            String meter = register("ELECTRICITY_METER", null);
            feed(meter, "2026-11-25T03:00:00Z", "energy_kwh", 100); // 22:00 on the 24th in New York
            feed(meter, "2026-11-25T04:30:00Z", "energy_kwh", 102);
            feed(meter, "2026-11-25T05:30:00Z", "energy_kwh", 107); // 00:30 on the 25th

            JsonNode days = Json.tree(send("GET", "/devices/" + meter + "/rollups?period=day&from=2026-11-24&to=2026-11-25",
                    resident("x"), null).body());

            assertThat(days.path("items").findValuesAsText("key")).containsExactly("D#2026-11-24", "D#2026-11-25");
            assertThat(days.path("items").get(0).path("readings").asInt()).isEqualTo(2);
            assertThat(days.path("items").get(0).path("consumption").asDouble()).isEqualTo(2.0);
            assertThat(days.path("items").get(1).path("consumption").asDouble()).isEqualTo(5.0);
            assertThat(days.path("items").get(0).path("start").asText()).isEqualTo("2026-11-24T05:00:00.000Z");
        } finally {
            org.territoire.shared.config.Env.override(Map.of("TERRITORY_TIME_ZONE", previous));
        }
    }

    private JsonNode aggregate(String kind) {
        wiring.districtRollups().sweep(java.time.Duration.ofSeconds(40)); // readings of hours that ended long ago are marked for it
        ApiResponse response = send("GET", "/districts/" + district + "/aggregates?kind=" + kind + "&period=2026-11-25", resident("x"), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.tree(response.body());
    }

    private String register(String kind, String owner) {
        String id = kind.toLowerCase().replace('_', '-') + "-" + UUID.randomUUID();
        String body = "{\"id\":\"%s\",\"kind\":\"%s\",\"district\":\"%s\"%s}".formatted(id, kind, district,
                owner == null ? ",\"latitude\":45.76,\"longitude\":4.83" : ",\"ownerId\":\"" + owner + "\"");
        ApiResponse created = send("POST", "/devices", agent(), body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        if (owner != null) {
            // District aggregates count only the households that chose to (issue 15).
            ApiResponse chosen = send("PUT", "/me/telemetry/consent", resident(owner), "{\"shareInDistrictAggregates\":true}");
            assertThat(chosen.statusCode()).as(chosen.body()).isEqualTo(200);
        }
        return id;
    }

    private void feed(String deviceId, String at, String field, double value) {
        var outcome = ingest.ingest(Json.tree("{\"deviceId\":\"%s\",\"district\":\"%s\",\"clientId\":\"%s\",\"at\":\"%s\",\"%s\":%s}"
                .formatted(deviceId, district, deviceId, at, field, value)));
        assertThat(outcome.stored()).as(outcome.rejected().toString()).isEqualTo(1);
    }

    private ApiResponse send(String method, String path, Map<String, String> claims, String body) {
        return api.handle(TestRequests.event(method, path, claims, Map.of(), body));
    }
}
