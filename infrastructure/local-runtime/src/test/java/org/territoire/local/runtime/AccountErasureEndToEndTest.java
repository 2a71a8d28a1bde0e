package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.bookings.booking.CreateBookingCommand;
import org.territoire.consultations.consultation.ConsultationService;
import org.territoire.local.aws.LocalAws;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The person owns their data (issue 15): a resident with evaluations, reports and follows,
 * bookings (future and past) and a calendar feed, votes, a proposal, a support and a comment,
 * a home meter with readings and a consent; {@code Account Deleted} is published on the local
 * bus with the SDK's EventBridge client, as the accounts function will; the template's rules
 * deliver it to the four capabilities' consumers. Afterwards no item of any table holds the
 * person's id or a pseudonym derived from it, the counters equal a recount of the items, and a
 * redelivered event changes nothing.
 */
class AccountErasureEndToEndTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalPlatform platform;
    private static EventBridgeClient bus;
    private static String agent;

    @BeforeAll
    static void start() {
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        bus = EventBridgeClient.builder().endpointOverride(platform.events().url()).region(Region.of(LocalAws.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
        agent = platform.issuer().mint(LocalIssuer.User.of("agent-erase", "agent").ofOrganisation("mairie"));
    }

    @AfterAll
    static void stop() {
        bus.close();
        platform.close();
    }

    private record World(String sub, String service, String handle, String report, String othersReport, String resource,
                         String futureBooking, String pastBooking, String feedPath, String poll, String ideas, String proposal,
                         String othersProposal, String meter) {
    }

    @Test
    void afterAccountDeleted_nothingPersonalRemains_countersEqualARecount_andARedeliveryChangesNothing() throws Exception {
        World w = aPersonWithDataEverywhere();
        assertThat(tablesHolding(personal(w))).as("the person's data is there before").containsExactlyInAnyOrder(
                "FeedbackTable", "BookingsTable", "ConsultationsTable", "TelemetryTable");

        deleted(w.sub());

        assertThat(platform.events().deadLetters()).isEmpty();
        assertThat(tablesHolding(personal(w))).as("tables still naming the person").isEmpty();
        countersEqualARecount(w);

        String other = resident("other-" + UUID.randomUUID());
        // The public texts stay, under "former resident"; the evaluation still counts, under a new handle.
        JsonNode report = send("GET", "/reports/" + w.report(), agent, null, 200).path("report");
        assertThat(report.path("authorId").asText()).isEqualTo("former resident");
        assertThat(report.path("description").asText()).isEqualTo("Lampadaire éteint rue des Tilleuls");
        assertThat(send("GET", "/reports/" + w.othersReport(), other, null, 200).path("report").path("followers").asInt()).isZero();
        JsonNode evaluations = send("GET", "/services/" + w.service() + "/evaluations", other, null, 200);
        assertThat(evaluations.path("summary").path("count").asInt()).isEqualTo(2);
        assertThat(evaluations.path("items").findValuesAsText("handle")).hasSize(2).doesNotContain(w.handle());
        assertThat(evaluations.path("items").findValuesAsText("comment")).contains("Très utile");
        JsonNode proposal = send("GET", "/consultations/" + w.ideas() + "/proposals/" + w.proposal(), agent, null, 200);
        assertThat(proposal.path("authorId").asText()).isEqualTo("former resident");
        assertThat(proposal.path("supports").asInt()).isEqualTo(1);
        assertThat(send("GET", "/consultations/" + w.ideas() + "/proposals/" + w.othersProposal(), other, null, 200)
                .path("supports").asInt()).as("the person's support still counts").isEqualTo(1);
        assertThat(send("GET", "/consultations/" + w.poll() + "/results", other, null, 200).path("participants").asInt())
                .as("the person's vote still counts").isEqualTo(2);
        // The future booking gave its capacity back; the calendar link and the meter are gone.
        JsonNode future = send("GET", "/bookings/" + w.futureBooking(), agent, null, 200);
        assertThat(future.path("status").asText()).isEqualTo("CANCELLED");
        assertThat(send("GET", "/bookings/" + w.pastBooking(), agent, null, 200).path("status").asText()).isEqualTo("CONFIRMED");
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(platform.apiUrl() + w.feedPath())).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        send("GET", "/devices/" + w.meter(), agent, null, 404);

        // A redelivery (EventBridge delivers at least once) finds nothing and changes nothing.
        Map<String, List<String>> before = snapshot();
        deleted(w.sub());
        assertThat(platform.events().deadLetters()).isEmpty();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void anExportRequest_makesEachCapabilityWriteWhatItHolds_toTheExportBucket() throws Exception {
        World w = aPersonWithDataEverywhere();
        String exportId = UUID.randomUUID().toString();
        var result = bus.putEvents(r -> r.entries(e -> e.eventBusName("TerritoireEventBus").source("territoire.accounts")
                .detailType("Account Export Requested").detail(Json.write(Map.of("accountId", w.sub(), "exportId", exportId,
                        "requestedAt", Instant.now().toString())))));
        assertThat(result.failedEntryCount()).isZero();
        assertThat(platform.events().awaitDeliveries(Duration.ofSeconds(120))).isTrue();
        assertThat(platform.events().deadLetters()).isEmpty();

        Map<String, JsonNode> parts = new HashMap<>();
        try (var s3 = org.territoire.shared.ddb.Aws.configure(software.amazon.awssdk.services.s3.S3Client.builder(), "S3")
                .httpClient(org.territoire.shared.ddb.Aws.httpClient()).forcePathStyle(true).build()) {
            String bucket = platform.aws().environment().get("EXPORT_BUCKET");
            for (String capability : List.of("feedback", "bookings", "consultations", "telemetry", "notifications")) {
                String key = "exports/" + exportId + "/" + capability + ".json";
                parts.put(capability, Json.tree(s3.getObjectAsBytes(g -> g.bucket(bucket).key(key)).asUtf8String()));
            }
        }
        parts.forEach((capability, part) -> {
            assertThat(part.path("capability").asText()).isEqualTo(capability);
            assertThat(part.path("exportId").asText()).isEqualTo(exportId);
            assertThat(part.path("readme").asText()).as(capability).isNotBlank();
        });
        assertThat(parts.get("feedback").path("evaluations").findValuesAsText("handle")).containsExactly(w.handle());
        assertThat(parts.get("feedback").path("reports").findValuesAsText("id")).containsExactly(w.report());
        assertThat(parts.get("feedback").path("follows").get(0).asText()).isEqualTo(w.othersReport());
        assertThat(parts.get("bookings").path("bookings").findValuesAsText("id")).containsExactlyInAnyOrder(w.futureBooking(), w.pastBooking());
        assertThat(parts.get("bookings").path("calendarFeed").asBoolean()).isTrue();
        assertThat(parts.get("consultations").path("participations").findValuesAsText("consultationId")).containsExactly(w.poll());
        assertThat(parts.get("consultations").path("proposals").findValuesAsText("id")).containsExactly(w.proposal());
        assertThat(parts.get("consultations").path("supports").findValuesAsText("proposalId")).containsExactly(w.othersProposal());
        assertThat(parts.get("consultations").path("comments").findValuesAsText("text")).containsExactly("Bonne idée !");
        assertThat(parts.get("telemetry").path("devices").findValuesAsText("id")).containsExactly(w.meter());
        assertThat(parts.get("telemetry").path("records").size()).isGreaterThanOrEqualTo(3);
        assertThat(parts.get("telemetry").path("consent").path("shareInDistrictAggregates").asBoolean()).isTrue();
        // Nothing of anyone else: the neighbour's evaluation, report and proposal are not in the person's export.
        assertThat(parts.get("feedback").path("evaluations").size()).isEqualTo(1);
    }

    @Test
    void anErasedPersonsDevice_losesItsThingAndCertificate_andARedeliveryIsFine() throws Exception {
        String sub = "thing-owner-" + UUID.randomUUID();
        String meter = "meter-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode registered = send("POST", "/devices", agent, """
                {"id":"%s","kind":"ELECTRICITY_METER","district":"centre","ownerId":"%s"}""".formatted(meter, sub), 201);
        String certificateArn = registered.path("credentials").path("certificateArn").asText();
        String certificateId = certificateArn.substring(certificateArn.lastIndexOf('/') + 1);
        try (var iot = org.territoire.shared.ddb.Aws.configure(software.amazon.awssdk.services.iot.IotClient.builder(), "IOT")
                .httpClient(org.territoire.shared.ddb.Aws.httpClient()).build()) {
            assertThat(iot.describeCertificate(d -> d.certificateId(certificateId)).certificateDescription().statusAsString()).isEqualTo("ACTIVE");
            // The local control plane refuses what AWS IoT refuses: an ACTIVE certificate, or one still attached, is not deleted.
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> iot.deleteCertificate(d -> d.certificateId(certificateId))))
                    .isInstanceOf(software.amazon.awssdk.services.iot.model.CertificateStateException.class);
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> iot.deleteThing(d -> d.thingName(meter))))
                    .isInstanceOf(software.amazon.awssdk.services.iot.model.IotException.class);

            deleted(sub);
            assertThat(platform.events().deadLetters()).isEmpty();

            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> iot.describeThing(d -> d.thingName(meter))))
                    .isInstanceOf(software.amazon.awssdk.services.iot.model.ResourceNotFoundException.class);
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> iot.describeCertificate(d -> d.certificateId(certificateId))))
                    .isInstanceOf(software.amazon.awssdk.services.iot.model.ResourceNotFoundException.class);
            send("GET", "/devices/" + meter, agent, null, 404);

            // EventBridge delivers at least once: the second erasure finds no thing and is done.
            deleted(sub);
            assertThat(platform.events().deadLetters()).isEmpty();
        }
    }

    @Test
    void aTokenOutlivingItsErasedAccount_recordsNoConsent_andRegistersNoDevice() throws Exception {
        String sub = "gone-" + UUID.randomUUID();
        String person = resident(sub);
        String agentSub = "agent-gone-" + UUID.randomUUID();
        String goneAgent = platform.issuer().mint(LocalIssuer.User.of(agentSub, "agent").ofOrganisation("mairie"));
        deleted(sub);
        deleted(agentSub);

        // Both tokens are still valid (an ID token lives its hour); the tombstones refuse their writes.
        JsonNode refused = send("PUT", "/me/telemetry/consent", person, "{\"shareInDistrictAggregates\":true}", 403);
        assertThat(refused.path("status").asInt()).isEqualTo(403);
        assertThat(refused.path("detail").asText()).contains("deleted");
        String device = "meter-" + UUID.randomUUID().toString().substring(0, 8);
        send("POST", "/devices", goneAgent, """
                {"id":"%s","kind":"AIR_QUALITY","district":"centre"}""".formatted(device), 403);
        // A live agent cannot register a device for the erased owner either.
        send("POST", "/devices", agent, """
                {"id":"%s","kind":"ELECTRICITY_METER","district":"centre","ownerId":"%s"}""".formatted(device, sub), 409);

        assertThat(tablesHolding(Set.of(sub, agentSub, device))).as("nothing written").isEmpty();
        send("GET", "/devices/" + device, agent, null, 404);
    }

    @Test
    void aPersonDeletedWhileBookingVotingAndEvaluating_leavesNoPersonalItem_andNoCounterDrift() throws Exception {
        String sub = "racer-" + UUID.randomUUID();
        String person = resident(sub);
        JsonNode resource = send("POST", "/resources", agent, """
                {"kind":"SHARED_PARKING","name":"Place %s","organisationId":"mairie","district":"centre",
                 "capacity":3,"slotMinutes":5,"maxDurationMinutes":240}""".formatted(UUID.randomUUID()), 201);
        String poll = poll();
        String service = send("POST", "/services", agent, """
                {"name":"Atelier %s","kind":"PEER","category":"service-sharing","organisationId":"mairie","districts":["centre"],
                 "location":{"latitude":45.76,"longitude":4.83}}""".formatted(UUID.randomUUID()), 201).path("id").asText();
        ZonedDateTime start = nextSlot().plusDays(1);
        // Bookings keep coming, four at a time, before, during and after the erasure: the token outlives the account.
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        try {
            for (int t = 0; t < 4; t++) {
                workers.add(pool.submit(() -> {
                    while (!stop.get() && next.get() < 40) {
                        ZonedDateTime at = start.plusMinutes(10L * next.getAndIncrement());
                        statuses.add(status("POST", "/bookings", person, """
                                {"resourceId":"%s","start":"%s","end":"%s","units":1}""".formatted(resource.path("id").asText(),
                                at.toOffsetDateTime(), at.plusMinutes(10).toOffsetDateTime())));
                    }
                    return null;
                }));
            }
            Thread.sleep(300);
            statuses.add(status("POST", "/consultations/" + poll + "/participation", person, "{\"answers\":[{\"questionId\":\"q1\",\"choices\":[\"c1\"]}]}"));
            publishDeleted(sub);
            statuses.add(status("POST", "/services/" + service + "/evaluations", person, "{\"rating\":5}"));
            assertThat(platform.events().awaitDeliveries(Duration.ofSeconds(120))).isTrue();
            Thread.sleep(500);
            stop.set(true);
            for (Future<?> f : workers) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        // Made before the erasure (then erased), or refused after it: never a 5xx; and refused at least once.
        assertThat(statuses).allMatch(s -> s == 201 || s == 403).contains(403);
        // After the erasure, whatever the live token asks is refused, each by its own transaction.
        assertThat(status("POST", "/bookings", person, """
                {"resourceId":"%s","start":"%s","end":"%s","units":1}""".formatted(resource.path("id").asText(),
                start.minusMinutes(30).toOffsetDateTime(), start.minusMinutes(20).toOffsetDateTime()))).isEqualTo(403);
        String other = poll();
        assertThat(status("POST", "/consultations/" + other + "/participation", person,
                "{\"answers\":[{\"questionId\":\"q1\",\"choices\":[\"c1\"]}]}")).isEqualTo(403);
        assertThat(status("POST", "/reports", person, """
                {"serviceId":"%s","description":"Porte bloquée","latitude":45.7601,"longitude":4.8301}""".formatted(service))).isEqualTo(403);
        assertThat(platform.events().deadLetters()).isEmpty();

        Set<String> personal = Set.of(sub, ConsultationService.pseudonym(poll, sub), ConsultationService.pseudonym(other, sub));
        assertThat(tablesHolding(personal)).isEmpty();
        slotCountersEqualTheBookingsHoldingThem(resource.path("id").asText());
        participantsEqualTheParticipations(poll);
        List<Map<String, AttributeValue>> feedback = scan("FeedbackTable");
        Map<String, AttributeValue> summary = feedback.stream().filter(i -> i.get("pk").s().equals("SERVICE#" + service)
                && i.get("sk").s().equals("SUMMARY")).findFirst().orElse(Map.of("count", AttributeValue.fromN("0")));
        assertThat(Long.parseLong(summary.get("count").n())).isEqualTo(feedback.stream()
                .filter(i -> i.get("pk").s().equals("SERVICE#" + service) && i.get("sk").s().startsWith("EVAL#")).count());
        for (int i = 0; i < next.get(); i++) {
            // Every slot is free again: whatever was booked in the person's name was cancelled.
            ZonedDateTime at = start.plusMinutes(10L * i);
            assertThat(freeUnits(resource.path("id").asText(), at)).as(at.toString()).isEqualTo(3);
        }
    }

    // ------------------------------------------------------------------ the person's data

    private World aPersonWithDataEverywhere() throws Exception {
        String sub = "leaving-" + UUID.randomUUID();
        String person = resident(sub);
        String other = resident("neighbour-" + UUID.randomUUID());

        String service = send("POST", "/services", agent, """
                {"name":"Navette %s","kind":"PEER","category":"service-sharing","organisationId":"mairie","districts":["centre"],
                 "location":{"latitude":45.76,"longitude":4.83}}""".formatted(UUID.randomUUID()), 201).path("id").asText();
        String handle = send("POST", "/services/" + service + "/evaluations", person, "{\"rating\":4,\"comment\":\"Très utile\"}", 201)
                .path("handle").asText();
        send("POST", "/services/" + service + "/evaluations", other, "{\"rating\":2}", 201);
        String report = send("POST", "/reports", person, """
                {"serviceId":"%s","description":"Lampadaire éteint rue des Tilleuls","latitude":45.7601,"longitude":4.8301}"""
                .formatted(service), 201).path("id").asText();
        String othersReport = send("POST", "/reports", other, """
                {"serviceId":"%s","description":"Banc cassé","latitude":45.7602,"longitude":4.8302}""".formatted(service), 201)
                .path("id").asText();
        send("POST", "/reports/" + othersReport + "/follow", person, "", 204);

        JsonNode resource = send("POST", "/resources", agent, """
                {"kind":"SHARED_PARKING","name":"Place %s","organisationId":"mairie","district":"centre",
                 "capacity":2,"slotMinutes":5,"maxDurationMinutes":240}""".formatted(UUID.randomUUID()), 201);
        String resourceId = resource.path("id").asText();
        ZonedDateTime start = nextSlot().plusHours(2);
        String futureBooking = send("POST", "/bookings", person, """
                {"resourceId":"%s","start":"%s","end":"%s","units":1}""".formatted(resourceId, start.toOffsetDateTime(),
                start.plusHours(1).toOffsetDateTime()), 201).path("id").asText();
        String pastBooking = bookedTwoDaysAgo(sub, resourceId);
        String feedPath = send("POST", "/bookings/calendar-feed", person, "", 201).path("path").asText();

        String poll = poll();
        send("POST", "/consultations/" + poll + "/participation", person, "{\"answers\":[{\"questionId\":\"q1\",\"choices\":[\"c1\"]}]}", 201);
        send("POST", "/consultations/" + poll + "/participation", other, "{\"answers\":[{\"questionId\":\"q1\",\"choices\":[\"c2\"]}]}", 201);
        Instant opens = Instant.now().minusSeconds(60);
        String ideas = send("POST", "/consultations", agent, """
                {"title":"Budget participatif","description":"Vos projets","kind":"PROPOSALS","districts":["centre"],
                 "opensAt":"%s","closesAt":"%s","supportThreshold":5}""".formatted(opens, opens.plusSeconds(86_400)), 201)
                .path("consultation").path("id").asText();
        send("POST", "/consultations/" + ideas + "/schedule", agent, "", 200);
        String proposal = send("POST", "/consultations/" + ideas + "/proposals", person,
                "{\"title\":\"Des bancs au square\",\"body\":\"Trois bancs sous les platanes.\"}", 201).path("id").asText();
        String othersProposal = send("POST", "/consultations/" + ideas + "/proposals", other,
                "{\"title\":\"Une boîte à livres\",\"body\":\"Près de l'arrêt de bus.\"}", 201).path("id").asText();
        send("POST", "/consultations/" + ideas + "/proposals/" + proposal + "/support", other, "", 200);
        send("POST", "/consultations/" + ideas + "/proposals/" + othersProposal + "/support", person, "", 200);
        send("POST", "/consultations/" + ideas + "/proposals/" + othersProposal + "/comments", person, "{\"text\":\"Bonne idée !\"}", 201);

        String meter = "meter-" + UUID.randomUUID();
        send("POST", "/devices", agent, """
                {"id":"%s","kind":"ELECTRICITY_METER","district":"centre","ownerId":"%s"}""".formatted(meter, sub), 201);
        var ingest = org.territoire.telemetry.Wiring.of(platform.aws().dynamoDb(), "TelemetryTable", Clock.systemUTC(),
                org.territoire.shared.accounts.Erasures.privateTokens()).ingest((resourceId1, occupied, at, deviceId) -> { });
        for (int h = 3; h >= 1; h--) {
            var outcome = ingest.ingest(Json.tree("{\"deviceId\":\"%s\",\"district\":\"centre\",\"clientId\":\"%s\",\"at\":\"%s\",\"energy_kwh\":%d}"
                    .formatted(meter, meter, Instant.now().minus(Duration.ofHours(h)), 1000 - h)));
            assertThat(outcome.stored()).isEqualTo(1);
        }
        send("PUT", "/me/telemetry/consent", person, "{\"shareInDistrictAggregates\":true}", 200);
        return new World(sub, service, handle, report, othersReport, resourceId, futureBooking, pastBooking, feedPath, poll, ideas,
                proposal, othersProposal, meter);
    }

    /** A booking made through the bookings service itself, by the clock of two days ago: a past booking. */
    private String bookedTwoDaysAgo(String sub, String resourceId) {
        Instant then = nextSlot().minusDays(2).toInstant();
        var wiring = org.territoire.bookings.Wiring.of(platform.aws().dynamoDb(), "BookingsTable",
                Clock.fixed(then.minusSeconds(3600), PARIS), PARIS, org.territoire.shared.accounts.Erasures.privateTokens());
        Caller caller = new Caller(sub, Set.of(Role.RESIDENT), java.util.Optional.of("centre"), java.util.Optional.empty());
        return wiring.bookings((resource, booking) -> { }).book(caller, new CreateBookingCommand(resourceId,
                then.atZone(PARIS).toOffsetDateTime(), then.plus(Duration.ofMinutes(30)).atZone(PARIS).toOffsetDateTime(), 1)).id();
    }

    private String poll() throws Exception {
        Instant opens = Instant.now().minusSeconds(60);
        String poll = send("POST", "/consultations", agent, """
                {"title":"Horaires","description":"Quand ouvrir ?","kind":"POLL","districts":["centre"],"opensAt":"%s","closesAt":"%s",
                 "allowChange":true,"liveResults":true,"questions":[{"text":"Le dimanche ?","type":"SINGLE_CHOICE","choices":["Oui","Non"]}]}"""
                .formatted(opens, opens.plusSeconds(86_400)), 201).path("consultation").path("id").asText();
        send("POST", "/consultations/" + poll + "/schedule", agent, "", 200);
        return poll;
    }

    /** What must not survive: the account id, and the pseudonyms the platform could recompute from it. */
    private static Set<String> personal(World w) {
        return Set.of(w.sub(), w.handle(), ConsultationService.pseudonym(w.poll(), w.sub()),
                ConsultationService.pseudonym(w.ideas(), w.sub()));
    }

    // ------------------------------------------------------------------ the tables, read whole

    private static List<Map<String, AttributeValue>> scan(String table) {
        DynamoDbClient dynamo = platform.aws().dynamoDb();
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> after = start;
            var page = dynamo.scan(s -> s.tableName(table).consistentRead(true).exclusiveStartKey(after));
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    /** The tables with an item any of whose keys or values contains one of these strings. */
    private static List<String> tablesHolding(Set<String> personal) {
        List<String> holding = new ArrayList<>();
        for (String table : platform.aws().tables()) {
            List<String> found = scan(table).stream().map(Object::toString).filter(text -> personal.stream().anyMatch(text::contains))
                    .toList();
            if (!found.isEmpty()) {
                holding.add(table);
            }
        }
        return holding;
    }

    private static Map<String, List<String>> snapshot() {
        Map<String, List<String>> all = new TreeMap<>();
        for (String table : platform.aws().tables()) {
            all.put(table, scan(table).stream().map(i -> new TreeMap<>(i).toString()).sorted().toList());
        }
        return all;
    }

    private static void countersEqualARecount(World w) {
        // Feedback: the service's summary is its evaluations; the followed report's count is its follows.
        List<Map<String, AttributeValue>> feedback = scan("FeedbackTable");
        Map<String, AttributeValue> summary = only(feedback, "SERVICE#" + w.service(), "SUMMARY");
        List<Map<String, AttributeValue>> evaluations = feedback.stream().filter(i -> i.get("pk").s().equals("SERVICE#" + w.service())
                && i.get("sk").s().startsWith("EVAL#")).toList();
        assertThat(Long.parseLong(summary.get("count").n())).isEqualTo(evaluations.size());
        assertThat(Long.parseLong(summary.get("sum").n()))
                .isEqualTo(evaluations.stream().mapToLong(i -> Long.parseLong(i.get("rating").n())).sum());
        for (String report : List.of(w.report(), w.othersReport())) {
            long follows = feedback.stream().filter(i -> i.get("pk").s().equals("REPORT#" + report) && i.get("sk").s().startsWith("FOLLOW#")).count();
            assertThat(Long.parseLong(only(feedback, "REPORT#" + report, "REPORT").get("followers").n())).isEqualTo(follows);
        }
        // Bookings: each slot counter is the units of the open bookings holding it.
        slotCountersEqualTheBookingsHoldingThem(w.resource());
        // Consultations: participants and choices are the participations; supports and comments their items.
        participantsEqualTheParticipations(w.poll());
        List<Map<String, AttributeValue>> consultations = scan("ConsultationsTable");
        for (String proposal : List.of(w.proposal(), w.othersProposal())) {
            Map<String, AttributeValue> p = only(consultations, "CONS#" + w.ideas(), "PROP#" + proposal);
            for (String[] counter : new String[][] {{"supports", "SUPPORT#"}, {"comments", "COMMENT#"}}) {
                long items = consultations.stream().filter(i -> i.get("pk").s().equals("CONS#" + w.ideas())
                        && i.get("sk").s().startsWith(counter[1] + proposal + "#")).count();
                assertThat(Long.parseLong(p.get(counter[0]).n())).as(proposal + " " + counter[0]).isEqualTo(items);
            }
        }
    }

    private static void slotCountersEqualTheBookingsHoldingThem(String resourceId) {
        List<Map<String, AttributeValue>> bookings = scan("BookingsTable");
        Map<String, Long> recount = new HashMap<>();
        bookings.stream().filter(i -> "BOOKING".equals(i.get("sk").s()) && resourceId.equals(i.get("resourceId").s())
                        && Set.of("PENDING", "CONFIRMED", "CHECKED_IN").contains(i.get("status").s()))
                .forEach(i -> i.get("hold").m().get("slots").l().forEach(slot ->
                        recount.merge(String.format("SLOT#%012d", Long.parseLong(slot.n())), Long.parseLong(i.get("units").n()), Long::sum)));
        Map<String, Long> counters = new HashMap<>();
        bookings.stream().filter(i -> ("RESOURCE#" + resourceId).equals(i.get("pk").s()) && i.get("sk").s().startsWith("SLOT#"))
                .forEach(i -> {
                    long booked = Long.parseLong(i.get("booked").n());
                    if (booked != 0) {
                        counters.put(i.get("sk").s(), booked);
                    }
                });
        assertThat(counters).isEqualTo(recount);
    }

    private static void participantsEqualTheParticipations(String poll) {
        List<Map<String, AttributeValue>> items = scan("ConsultationsTable").stream().filter(i -> i.get("pk").s().equals("CONS#" + poll)).toList();
        long participations = items.stream().filter(i -> i.get("sk").s().startsWith("PART#")).count();
        Map<String, Long> choices = new HashMap<>();
        items.stream().filter(i -> i.get("sk").s().startsWith("PART#")).forEach(i -> i.get("counters").ss()
                .forEach(c -> choices.merge(c, 1L, Long::sum)));
        long participants = 0;
        Map<String, Long> tallied = new HashMap<>();
        for (Map<String, AttributeValue> shard : items.stream().filter(i -> i.get("sk").s().startsWith("TALLY#")).toList()) {
            participants += Long.parseLong(shard.get("participants").n());
            shard.forEach((name, value) -> {
                if (name.startsWith("n_") && Long.parseLong(value.n()) != 0) {
                    tallied.merge(name.substring(2), Long.parseLong(value.n()), Long::sum);
                }
            });
        }
        assertThat(participants).isEqualTo(participations);
        assertThat(tallied).isEqualTo(choices);
    }

    private static Map<String, AttributeValue> only(List<Map<String, AttributeValue>> items, String pk, String sk) {
        return items.stream().filter(i -> i.get("pk").s().equals(pk) && i.get("sk").s().equals(sk)).findFirst().orElseThrow();
    }

    // ------------------------------------------------------------------ helpers

    private static void deleted(String sub) throws Exception {
        publishDeleted(sub);
        assertThat(platform.events().awaitDeliveries(Duration.ofSeconds(120))).as("the consumers are done").isTrue();
    }

    private static void publishDeleted(String sub) {
        var result = bus.putEvents(r -> r.entries(e -> e.eventBusName("TerritoireEventBus").source("territoire.accounts")
                .detailType("Account Deleted").detail(Json.write(Map.of("accountId", sub, "deletedAt", Instant.now().toString())))));
        assertThat(result.failedEntryCount()).isZero();
    }

    private static int freeUnits(String resourceId, ZonedDateTime at) throws Exception {
        JsonNode availability = send("GET", "/resources/" + resourceId + "/availability?date=" + at.toLocalDate() + "&days=1", agent, null, 200);
        for (JsonNode slot : availability.path("slots")) {
            if (Instant.parse(slot.path("start").asText()).equals(at.toInstant())) {
                return slot.path("free").asInt();
            }
        }
        throw new AssertionError("no slot at " + at + " in " + availability);
    }

    private static ZonedDateTime nextSlot() {
        ZonedDateTime now = ZonedDateTime.now(PARIS).withSecond(0).withNano(0);
        return now.plusMinutes(5 - now.getMinute() % 5);
    }

    private static String resident(String sub) {
        return platform.issuer().mint(LocalIssuer.User.of(sub, "resident").inDistrict("centre"));
    }

    private static int status(String method, String path, String token, String body) throws Exception {
        return request(method, path, token, body).statusCode();
    }

    private static HttpResponse<String> request(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.apiUrl() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode send(String method, String path, String token, String body, int expected) throws Exception {
        HttpResponse<String> response = request(method, path, token, body);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return response.body().isBlank() ? Json.MAPPER.createObjectNode() : Json.tree(response.body());
    }
}
