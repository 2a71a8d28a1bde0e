package org.territoire.consultations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.territoire.local.aws.TestRequests.agent;
import static org.territoire.local.aws.TestRequests.resident;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

/** Proposals, supports, comments, moderation and official answers, against the local endpoint. */
class ProposalsApiTest {
    private MutableClock clock;
    private ConsultationsHandler handler;
    private String consultation;

    @BeforeEach
    void openAProposalsConsultation() {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        handler = handler(Wiring.of(LocalAws.shared().dynamoDb(), "ConsultationsTable", clock, PaginationKey.load()));
        Instant opens = clock.instant().plus(Duration.ofMinutes(5));
        ApiResponse created = send("POST", "/consultations", agent(), """
                {"title":"Budget participatif 2027","description":"Vos idées pour le quartier.","kind":"PROPOSALS",
                 "districts":["centre"],"opensAt":"%s","closesAt":"%s","supportThreshold":5}"""
                .formatted(opens, opens.plus(Duration.ofDays(30))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        consultation = Json.tree(created.body()).path("consultation").path("id").asText();
        send("POST", "/consultations/" + consultation + "/schedule", agent(), null);
        clock.advance(Duration.ofMinutes(10));
    }

    @Test
    void supports_areOnePerPerson_andExact_underConcurrency_andWithdrawable() {
        String id = propose("ines", "Des bancs au square", "Installer des bancs à l'ombre au square Jean-Jaurès.");

        var strangers = Concurrently.run(30, i -> () -> support("fan-" + i, id).statusCode());
        var same = Concurrently.run(10, i -> () -> support("keen", id).statusCode());
        var withdrawals = Concurrently.run(5, i -> () -> send("DELETE", path(id) + "/support", resident("fan-0"), null).statusCode());

        assertThat(strangers).allSatisfy(o -> assertThat(o.value()).isEqualTo(200));
        assertThat(same).filteredOn(o -> o.value() == 200).hasSize(1);
        assertThat(withdrawals).filteredOn(o -> o.value() == 204).hasSize(1);
        assertThat(proposal(id, resident("x")).path("supports").asLong()).isEqualTo(30);
    }

    @Test
    void aProposal_isEditableByItsAuthor_untilItsFirstSupport() {
        String id = propose("ines", "Un composteur partagé", "Un composteur collectif rue des Lilas.");
        String edit = "{\"title\":\"Deux composteurs partagés\",\"body\":\"Deux composteurs, rue des Lilas et place Carnot.\"}";

        assertThat(send("PUT", path(id), resident("someone-else"), edit).statusCode()).isEqualTo(403);
        assertThat(send("PUT", path(id), resident("ines"), edit).statusCode()).isEqualTo(200);
        support("paul", id);
        assertThat(send("PUT", path(id), resident("ines"), edit).statusCode()).isEqualTo(409);
        assertThat(proposal(id, resident("x")).path("title").asText()).isEqualTo("Deux composteurs partagés");
        assertThat(proposal(id, resident("x")).has("authorId")).as("others do not see who proposed").isFalse();
    }

    @Test
    void pastTheThreshold_aProposalNeedsAnAnswer_thatOnlyAgentsGive() {
        String id = propose("ines", "Une piste cyclable", "Relier la gare au lycée par une piste cyclable.");
        for (int i = 0; i < 5; i++) {
            support("cyclist-" + i, id);
        }
        assertThat(needingAnswer()).contains(id);

        String answer = "{\"status\":\"UNDER_EVALUATION\",\"text\":\"Étude de faisabilité lancée avec la métropole.\"}";
        assertThat(send("POST", path(id) + "/answer", resident("ines"), answer).statusCode()).isEqualTo(403);
        assertThat(send("POST", path(id) + "/answer", agent(), answer).statusCode()).isEqualTo(200);

        assertThat(needingAnswer()).doesNotContain(id);
        assertThat(proposal(id, resident("x")).path("answer").path("status").asText()).isEqualTo("UNDER_EVALUATION");
    }

    @Test
    void flaggedContent_hiddenByAnAgent_leavesListsAndResults_butStaysStoredAndItsAuthorSeesWhy() {
        String bad = propose("troll", "Proposition injurieuse", "Un texte qui enfreint la charte du site.");
        String good = propose("ines", "Fête des voisins", "Une fête des voisins en juin, place du marché.");
        ApiResponse comment = send("POST", path(good) + "/comments", resident("troll"), "{\"text\":\"Commentaire injurieux\"}");
        String commentId = Json.tree(comment.body()).path("id").asText();

        assertThat(send("POST", path(bad) + "/flag", resident("a"), null).statusCode()).isEqualTo(204);
        assertThat(send("POST", path(bad) + "/flag", resident("a"), null).statusCode()).as("once per person").isEqualTo(409);
        assertThat(send("POST", path(good) + "/comments/" + commentId + "/flag", resident("a"), null).statusCode()).isEqualTo(204);
        assertThat(send("POST", path(bad) + "/hide", resident("a"), "{\"reason\":\"Injures\"}").statusCode()).isEqualTo(403);
        assertThat(send("POST", path(bad) + "/hide", agent(), "{\"reason\":\"Propos injurieux (charte, article 3)\"}").statusCode()).isEqualTo(204);
        assertThat(send("POST", path(good) + "/comments/" + commentId + "/hide", agent(), "{\"reason\":\"Injure\"}").statusCode()).isEqualTo(204);

        JsonNode others = Json.tree(send("GET", "/consultations/" + consultation + "/proposals", resident("b"), null).body());
        assertThat(others.path("items").findValuesAsText("id")).containsExactly(good);
        assertThat(send("GET", path(bad), resident("b"), null).statusCode()).isEqualTo(404);
        JsonNode own = proposal(bad, resident("troll"));
        assertThat(own.path("hidden").asBoolean()).isTrue();
        assertThat(own.path("hiddenReason").asText()).isEqualTo("Propos injurieux (charte, article 3)");
        assertThat(proposal(bad, agent()).path("flags").asLong()).isEqualTo(1);
        JsonNode comments = Json.tree(send("GET", path(good) + "/comments", resident("b"), null).body());
        assertThat(comments.path("items").size()).isZero();
        JsonNode ownComments = Json.tree(send("GET", path(good) + "/comments", resident("troll"), null).body());
        assertThat(ownComments.path("items").get(0).path("hiddenReason").asText()).isEqualTo("Injure");
        assertThat(support("c", bad).statusCode()).as("hidden proposals take no support").isEqualTo(409);
        JsonNode results = Json.tree(send("GET", "/consultations/" + consultation + "/results", agent(), null).body());
        assertThat(results.path("proposals").findValuesAsText("id")).containsExactly(good);
    }

    @Test
    void flags_areOnePerPerson_evenWhenSentAtOnce() {
        String id = propose("ines", "Un jardin partagé", "Un jardin partagé derrière l'école.");

        var same = Concurrently.run(10, i -> () -> send("POST", path(id) + "/flag", resident("worried"), null).statusCode());
        var others = Concurrently.run(5, i -> () -> send("POST", path(id) + "/flag", resident("flagger-" + i), null).statusCode());

        assertThat(same).filteredOn(o -> o.value() == 204).hasSize(1);
        assertThat(others).allSatisfy(o -> assertThat(o.value()).isEqualTo(204));
        assertThat(proposal(id, agent()).path("flags").asLong()).isEqualTo(6);
    }

    @Test
    void onlyResidentsInScope_propose_andNothingAfterClosing() {
        assertThat(send("POST", "/consultations/" + consultation + "/proposals", resident("g", "gare"),
                "{\"title\":\"Une idée\",\"body\":\"Une idée de la gare.\"}").statusCode()).isEqualTo(403);
        assertThat(send("POST", "/consultations/" + consultation + "/proposals", resident("g"),
                "{\"title\":\"Idée\",\"body\":\"court\"}").statusCode()).isEqualTo(400);
        String id = propose("late", "Une idée tardive", "Proposée juste avant la clôture.");

        clock.advance(Duration.ofDays(31));

        assertThat(support("x", id).statusCode()).isEqualTo(409);
        assertThat(send("POST", "/consultations/" + consultation + "/proposals", resident("late"),
                "{\"title\":\"Trop tard\",\"body\":\"Après la clôture.\"}").statusCode()).isEqualTo(409);
    }

    private String propose(String who, String title, String body) {
        ApiResponse created = send("POST", "/consultations/" + consultation + "/proposals", resident(who),
                Json.write(Map.of("title", title, "body", body)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Json.tree(created.body()).path("id").asText();
    }

    private ApiResponse support(String who, String id) {
        return send("POST", path(id) + "/support", resident(who), null);
    }

    private JsonNode proposal(String id, Map<String, String> who) {
        ApiResponse response = send("GET", path(id), who, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.tree(response.body());
    }

    private java.util.List<String> needingAnswer() {
        return Json.tree(handler.handle(new HttpApiEvent(UUID.randomUUID().toString(), "GET", "/consultations/" + consultation + "/proposals",
                Map.of(), Map.of("needsAnswer", "true"), Map.of(), null, agent())).body()).path("items").findValuesAsText("id");
    }

    private String path(String proposalId) {
        return "/consultations/" + consultation + "/proposals/" + proposalId;
    }

    private ApiResponse send(String method, String path, Map<String, String> claims, String body) {
        return handler.handle(new HttpApiEvent(UUID.randomUUID().toString(), method, path, Map.of(), Map.of(), Map.of(), body, claims));
    }

    private static ConsultationsHandler handler(Wiring wiring) {
        return new ConsultationsHandler(wiring.consultations(), wiring.proposals(), wiring.idempotency());
    }
}
