package org.territoire.consultations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.territoire.local.aws.TestRequests.agent;
import static org.territoire.local.aws.TestRequests.resident;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.Concurrently;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.MutableClock;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.HttpApiEvent;
import org.territoire.shared.json.Json;

/** Consultations through the real handler and adapters, against the local endpoint, with a clock the test moves. */
class ConsultationsApiTest {
    private static final String TABLE = "ConsultationsTable";
    private static final String POLL_QUESTIONS = """
            [{"text":"Quel jour pour le marché ?","type":"SINGLE_CHOICE","choices":["Mardi","Samedi","Dimanche"]},
             {"text":"Quels produits ?","type":"MULTIPLE_CHOICE","choices":["Fruits","Fromages","Pain","Fleurs"],"maxChoices":2},
             {"text":"Votre intérêt","type":"SCALE"},
             {"text":"Une idée ?","type":"FREE_TEXT","optional":true}]""";

    private MutableClock clock;
    private ConsultationsHandler handler;

    @BeforeEach
    void wire() {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        handler = handler(Wiring.of(LocalAws.shared().dynamoDb(), TABLE, clock, PaginationKey.load()));
    }

    @Test
    void aPoll_goesFromDraftToPublishedResults_byTheClock_andItsQuestionsFreezeWhenItOpens() {
        String id = poll("\"districts\":[\"centre\"]", false, false);
        assertThat(send("GET", "/consultations/" + id, resident("r1"), null).statusCode()).as("drafts are for agents").isEqualTo(404);
        assertThat(phase(id)).isEqualTo("DRAFT");
        assertThat(send("POST", "/consultations/" + id + "/schedule", agent(), "{\"a\":").statusCode())
                .as("an action takes no body: a truncated one is refused, not ignored").isEqualTo(400);
        assertThat(phase(id)).isEqualTo("DRAFT");
        assertThat(send("POST", "/consultations/" + id + "/schedule", agent(), null).statusCode()).isEqualTo(200);
        assertThat(phase(id)).isEqualTo("SCHEDULED");
        assertThat(detail(participate("r1", id, answers("c1", "c1", 4)))).contains("opens at");

        clock.advance(Duration.ofHours(2));
        assertThat(phase(id)).isEqualTo("OPEN");
        assertThat(participate("r1", id, answers("c1", "c1\",\"c3", 4)).statusCode()).isEqualTo(201);
        assertThat(send("PUT", "/consultations/" + id, agent(), command(false, false, "\"districts\":[\"centre\"]")).statusCode())
                .as("questions cannot change once open").isEqualTo(409);
        assertThat(send("GET", "/consultations/" + id + "/results", resident("r1"), null).statusCode()).isEqualTo(403);

        clock.advance(Duration.ofDays(8));
        assertThat(phase(id)).isEqualTo("CLOSED");
        assertThat(detail(participate("r2", id, answers("c2", "c2", 2)))).contains("closed at");
        assertThat(send("GET", "/consultations/" + id + "/results", resident("r1"), null).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/consultations/" + id + "/publish-results", resident("r1"), null).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/consultations/" + id + "/publish-results", agent(), null).statusCode()).isEqualTo(200);

        JsonNode results = Json.tree(send("GET", "/consultations/" + id + "/results", resident("r1"), null).body());
        assertThat(results.path("phase").asText()).isEqualTo("RESULTS_PUBLISHED");
        assertThat(results.path("participants").asLong()).isEqualTo(1);
        assertThat(results.path("questions").get(1).path("counts").findValuesAsText("key")).containsExactly("c1", "c2", "c3", "c4");
        assertThat(results.path("questions").get(1).path("counts").get(2).path("percentage").asDouble()).isEqualTo(100.0);
        ApiResponse csv = send("GET", "/consultations/" + id + "/export", resident("r1"), null);
        assertThat(csv.headers().get("content-type")).startsWith("text/csv");
        assertThat(csv.body()).startsWith("consultation_id,question_id,question,type,answered,key,label,count,percentage")
                .contains(id + ",q1,Quel jour pour le marché ?,SINGLE_CHOICE,1,c1,Mardi,1,100.0");

        ApiResponse spreadsheet = export(id, "csv-fr");
        assertThat(spreadsheet.headers().get("content-disposition")).contains("-tableur.csv");
        assertThat(spreadsheet.body()).startsWith("\uFEFFconsultation_id;question_id;")
                .contains(id + ";q1;Quel jour pour le marché ?;SINGLE_CHOICE;1;c1;Mardi;1;100,0;");
        ApiResponse metadata = export(id, "metadata");
        assertThat(metadata.headers().get("content-type")).isEqualTo("application/ld+json");
        JsonNode dataset = Json.tree(metadata.body());
        assertThat(dataset.path("@type").asText()).isEqualTo("dcat:Dataset");
        assertThat(dataset.path("@id").asText()).isEqualTo("https://api.example.fr/consultations/" + id + "/export");
        assertThat(dataset.path("dcat:distribution").findValuesAsText("@id")).contains(
                "https://api.example.fr/consultations/" + id + "/export?format=csv-fr");
        assertThat(export(id, "xlsx").statusCode()).isEqualTo(400);
    }

    private ApiResponse export(String id, String format) {
        return handler.handle(new HttpApiEvent(UUID.randomUUID().toString(), "GET", "/consultations/" + id + "/export",
                Map.of("host", "api.example.fr", "x-forwarded-proto", "https"), Map.of("format", format), Map.of(), null,
                resident("r1")));
    }

    @Test
    void onePerson_sending20ParticipationsAtOnce_isCountedOnce() {
        String id = openPoll(false, false);

        var outcomes = Concurrently.run(20, i -> () -> participate("same-person", id, answers("c" + (1 + i % 3), "c1", 1 + i % 5)).statusCode());

        assertThat(outcomes).filteredOn(o -> o.value() == 201).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o.value() == 409).hasSize(19);
        JsonNode results = Json.tree(send("GET", "/consultations/" + id + "/results", agent(), null).body());
        assertThat(results.path("participants").asLong()).isEqualTo(1);
        assertThat(results.path("questions").get(0).path("answered").asLong()).isEqualTo(1);
        long q1 = 0;
        for (JsonNode count : results.path("questions").get(0).path("counts")) {
            q1 += count.path("count").asLong();
        }
        assertThat(q1).isEqualTo(1);
    }

    @Test
    void twoHundredVoters_atOnce_giveExactTallies() {
        String id = openPoll(false, false);

        var outcomes = Concurrently.run(200, i -> () -> participate("voter-" + i, id, answers("c" + (1 + i % 3), "c" + (1 + i % 4), 1 + i % 5)).statusCode());

        assertThat(outcomes).allSatisfy(o -> assertThat(o.value()).isEqualTo(201));
        JsonNode results = Json.tree(send("GET", "/consultations/" + id + "/results", agent(), null).body());
        assertThat(results.path("participants").asLong()).isEqualTo(200);
        // i % 3: choices 1, 2, 3 chosen 67, 67, 66 times; i % 4: 50 each; i % 5: each value 40 times, average 3.
        assertThat(results.path("questions").get(0).path("counts").findValuesAsText("count")).containsExactly("67", "67", "66");
        assertThat(results.path("questions").get(1).path("counts").findValuesAsText("count")).containsExactly("50", "50", "50", "50");
        assertThat(results.path("questions").get(2).path("counts").findValuesAsText("count")).containsExactly("40", "40", "40", "40", "40");
        assertThat(results.path("questions").get(2).path("average").asDouble()).isEqualTo(3.0);
        assertThat(results.path("questions").get(0).path("counts").get(0).path("percentage").asDouble()).isEqualTo(33.5);
    }

    @Test
    void changedAnswers_moveTheTallies_exactly_evenWhenChangedAtOnce() {
        String id = openPoll(true, false);
        for (int i = 0; i < 10; i++) {
            assertThat(participate("changer-" + i, id, answers("c1", "c1", 1)).statusCode()).isEqualTo(201);
        }

        var outcomes = Concurrently.run(30, i -> () -> send("PUT", "/consultations/" + id + "/participation", resident("changer-" + i % 10),
                answers("c" + (1 + i % 3), "c2", 5)).statusCode());

        assertThat(outcomes).allSatisfy(o -> assertThat(o.value()).isIn(200, 409));
        long[] expected = new long[3];
        for (int i = 0; i < 10; i++) {
            JsonNode mine = Json.tree(send("GET", "/consultations/" + id + "/participation", resident("changer-" + i), null).body());
            String choice = mine.path("answers").get(0).path("choices").get(0).asText();
            expected[Integer.parseInt(choice.substring(1)) - 1]++;
        }
        JsonNode results = Json.tree(send("GET", "/consultations/" + id + "/results", agent(), null).body());
        assertThat(results.path("participants").asLong()).isEqualTo(10);
        assertThat(results.path("questions").get(0).path("counts").findValuesAsText("count"))
                .containsExactly(String.valueOf(expected[0]), String.valueOf(expected[1]), String.valueOf(expected[2]));
        assertThat(results.path("questions").get(0).path("answered").asLong()).isEqualTo(10);
    }

    @Test
    void onlyResidentsInScope_takePart_andNobodyReadsAnothersAnswers() {
        String id = openPoll(true, false);

        ApiResponse elsewhere = send("POST", "/consultations/" + id + "/participation", resident("nadia", "gare"), answers("c1", "c1", 3));
        ApiResponse agentVote = send("POST", "/consultations/" + id + "/participation", agent(), answers("c1", "c1", 3));
        assertThat(participate("zoe", id, answers("c2", "c2", 3)).statusCode()).isEqualTo(201);

        assertThat(elsewhere.statusCode()).isEqualTo(403);
        assertThat(detail(elsewhere)).contains("centre");
        assertThat(agentVote.statusCode()).isEqualTo(403);
        assertThat(send("GET", "/consultations/" + id + "/participation", resident("other"), null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/consultations/" + id + "/participation", agent(), null).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/consultations/" + id + "/results", agent(), null).body()).doesNotContain("zoe");
        assertThat(send("POST", "/consultations", resident("zoe"), command(false, false, "")).statusCode()).isEqualTo(403);
    }

    @Test
    void badAnswers_areNamed_andNothingIsStored() {
        String id = openPoll(false, false);

        ApiResponse noSuchChoice = send("POST", "/consultations/" + id + "/participation", resident("a"), answers("c9", "c1", 3));
        ApiResponse tooMany = send("POST", "/consultations/" + id + "/participation", resident("a"), answers("c1", "c1\",\"c2\",\"c3", 3));
        ApiResponse otherQuestion = send("POST", "/consultations/" + id + "/participation", resident("a"), """
                {"answers":[{"questionId":"q1","choices":["c1"]},{"questionId":"q2","choices":["c1"]},{"questionId":"q3","value":3},
                 {"questionId":"q77","text":"?"}]}""");
        ApiResponse offScale = send("POST", "/consultations/" + id + "/participation", resident("a"), answers("c1", "c1", 6));
        ApiResponse missing = send("POST", "/consultations/" + id + "/participation", resident("a"),
                "{\"answers\":[{\"questionId\":\"q1\",\"choices\":[\"c1\"]}]}");

        assertThat(fields(noSuchChoice)).containsExactly("answers[0].choices");
        assertThat(fields(tooMany)).containsExactly("answers[1].choices");
        assertThat(fields(otherQuestion)).containsExactly("answers[3].questionId");
        assertThat(fields(offScale)).containsExactly("answers[2].value");
        assertThat(fields(missing)).containsExactly("answers", "answers");
        assertThat(send("GET", "/consultations/" + id + "/participation", resident("a"), null).statusCode()).isEqualTo(404);
        assertThat(Json.tree(send("GET", "/consultations/" + id + "/results", agent(), null).body()).path("participants").asLong()).isZero();
    }

    @Test
    void liveResults_areShownWhileOpen_whenTheConsultationSaysSo() {
        String id = openPoll(false, true);
        participate("live-1", id, answers("c3", "c4", 5));

        JsonNode results = Json.tree(send("GET", "/consultations/" + id + "/results", resident("someone"), null).body());

        assertThat(results.path("participants").asLong()).isEqualTo(1);
        assertThat(results.path("phase").asText()).isEqualTo("OPEN");
    }

    @Test
    void badConsultations_areNamedField_byField() {
        ApiResponse response = send("POST", "/consultations", agent(), """
                {"title":"X","description":"","kind":"POLL","opensAt":"2030-01-02T00:00:00Z","closesAt":"2030-01-01T00:00:00Z",
                 "questions":[{"text":"Choix ?","type":"MULTIPLE_CHOICE","choices":["A"],"maxChoices":3},{"text":"Note","type":"SCALE","choices":["x"]}]}""");

        assertThat(fields(response)).contains("title", "description", "closesAt", "questions[0].choices", "questions[0].maxChoices",
                "questions[1].choices");
    }

    // ---------------------------------------------------------------- helpers

    /** A poll of the district "centre", scheduled, opening in an hour and closing a week later. */
    private String poll(String scope, boolean allowChange, boolean live) {
        ApiResponse created = send("POST", "/consultations", agent(), command(allowChange, live, scope));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Json.tree(created.body()).path("consultation").path("id").asText();
    }

    private String openPoll(boolean allowChange, boolean live) {
        String id = poll("\"districts\":[\"centre\"]", allowChange, live);
        assertThat(send("POST", "/consultations/" + id + "/schedule", agent(), null).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofHours(2));
        return id;
    }

    private String command(boolean allowChange, boolean live, String scope) {
        Instant opens = clock.instant().plus(Duration.ofHours(1));
        return """
                {"title":"Le marché du centre","description":"Aidez-nous à organiser le nouveau marché.","kind":"POLL",
                 "opensAt":"%s","closesAt":"%s","allowChange":%s,"liveResults":%s,%s"questions":%s}"""
                .formatted(opens, opens.plus(Duration.ofDays(7)), allowChange, live, scope.isEmpty() ? "" : scope + ",", POLL_QUESTIONS);
    }

    private static String answers(String day, String products, int interest) {
        return """
                {"answers":[{"questionId":"q1","choices":["%s"]},{"questionId":"q2","choices":["%s"]},{"questionId":"q3","value":%d}]}"""
                .formatted(day, products, interest);
    }

    private ApiResponse participate(String who, String id, String body) {
        return send("POST", "/consultations/" + id + "/participation", resident(who), body);
    }

    private String phase(String id) {
        return Json.tree(send("GET", "/consultations/" + id, agent(), null).body()).path("phase").asText();
    }

    private static String detail(ApiResponse response) {
        assertThat(response.statusCode()).as(response.body()).isIn(403, 409);
        return Json.tree(response.body()).path("detail").asText();
    }

    private static List<String> fields(ApiResponse response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        return Json.tree(response.body()).path("errors").findValuesAsText("field");
    }

    private ApiResponse send(String method, String path, Map<String, String> claims, String body) {
        return handler.handle(new HttpApiEvent(UUID.randomUUID().toString(), method, path, Map.of(), Map.of(), Map.of(), body, claims));
    }

    private static ConsultationsHandler handler(Wiring wiring) {
        return new ConsultationsHandler(wiring.consultations(), wiring.proposals(), wiring.idempotency());
    }
}
