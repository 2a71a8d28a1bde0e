package org.territoire.consultations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.territoire.local.aws.TestRequests.agent;
import static org.territoire.local.aws.TestRequests.resident;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.Concurrently;
import org.territoire.local.aws.Faults;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.MutableClock;
import org.territoire.local.aws.Retries;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.HttpApiEvent;
import org.territoire.shared.json.Json;

/**
 * Voting while DynamoDB has a bad day: transactions conflict, requests are throttled, fail with
 * 500 or lose their connection before or after being applied. Every answer is a success, a
 * conflict or a 503 to retry, never a 500; a voter who retries with the same Idempotency-Key
 * is counted once; and afterwards every tally equals a recount of the participations.
 */
class ConsultationsUnderFaultsTest {
    private static final String TABLE = "ConsultationsTable";
    private static final int VOTERS = 40;
    private static final int TRIES = 8;

    private MutableClock clock;
    private ConsultationsHandler handler;

    @BeforeEach
    void wire() {
        assumeTrue(LocalAws.shared().faults().isPresent(), "faults need the project's own endpoint");
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        handler = handler(Wiring.of(LocalAws.shared().dynamoDb(), TABLE, clock, PaginationKey.load()));
    }

    @Test
    void votersRetryingThroughFaults_areEachCountedOnce_andNoAnswerIsA500() {
        String id = openPoll();
        List<List<Integer>> answers;
        Map<String, Integer> injected;
        try (Faults faults = LocalAws.shared().faults().orElseThrow()) {
            faults.storm(20261201L, TABLE);
            var outcomes = Concurrently.run(VOTERS, i -> () -> vote("faulty-voter-" + i, id, "c" + (1 + i % 3)));
            answers = new ArrayList<>();
            for (var outcome : outcomes) {
                assertThat(outcome.ok()).as(String.valueOf(outcome.error())).isTrue();
                answers.add(outcome.value());
            }
            injected = faults.injected();
        }

        assertThat(injected.keySet()).as("the faults were really injected").contains("TransactionConflict", "DropAfterApplying");
        assertThat(answers).allSatisfy(tries -> assertThat(tries).allSatisfy(s -> assertThat(s).as("a 503 comes with Retry-After").isIn(201, 409, 503)));
        long[] recount = new long[3];
        int counted = 0;
        for (int i = 0; i < VOTERS; i++) {
            ApiResponse mine = send("GET", "/consultations/" + id + "/participation", resident("faulty-voter-" + i), null, null);
            if (mine.statusCode() == 200) {
                counted++;
                String choice = Json.tree(mine.body()).path("answers").get(0).path("choices").get(0).asText();
                recount[Integer.parseInt(choice.substring(1)) - 1]++;
            } else {
                assertThat(mine.statusCode()).isEqualTo(404);
                assertThat(answers.get(i)).as("a voter whose vote is not stored was never told it was").doesNotContain(201);
            }
        }
        JsonNode results = Json.tree(send("GET", "/consultations/" + id + "/results", agent(), null, null).body());
        assertThat(results.path("participants").asLong()).isEqualTo(counted);
        assertThat(results.path("questions").get(0).path("counts").findValuesAsText("count"))
                .containsExactly(String.valueOf(recount[0]), String.valueOf(recount[1]), String.valueOf(recount[2]));
        assertThat(counted).as("retries get most voters through").isGreaterThan(VOTERS / 2);
    }

    /** One voter's tries with one Idempotency-Key. */
    private List<Integer> vote(String who, String id, String choice) throws InterruptedException {
        String body = "{\"answers\":[{\"questionId\":\"q1\",\"choices\":[\"" + choice + "\"]}]}";
        return Retries.withOneKey(TRIES, key -> send("POST", "/consultations/" + id + "/participation", resident(who), body, key));
    }

    private String openPoll() {
        Instant opens = clock.instant().plus(Duration.ofHours(1));
        ApiResponse created = send("POST", "/consultations", agent(), """
                {"title":"Les jardins partagés","description":"Où ouvrir le prochain jardin ?","kind":"POLL",
                 "opensAt":"%s","closesAt":"%s","allowChange":true,"liveResults":true,"districts":["centre"],
                 "questions":[{"text":"Quel quartier ?","type":"SINGLE_CHOICE","choices":["Gare","Centre","Hameau"]}]}"""
                .formatted(opens, opens.plus(Duration.ofDays(7))), null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = Json.tree(created.body()).path("consultation").path("id").asText();
        assertThat(send("POST", "/consultations/" + id + "/schedule", agent(), null, null).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofHours(2));
        return id;
    }

    private ApiResponse send(String method, String path, Map<String, String> claims, String body, String idempotencyKey) {
        Map<String, String> headers = idempotencyKey == null ? Map.of() : Map.of("idempotency-key", idempotencyKey);
        return handler.handle(new HttpApiEvent(UUID.randomUUID().toString(), method, path, headers, Map.of(), Map.of(), body, claims));
    }

    private static ConsultationsHandler handler(Wiring wiring) {
        return new ConsultationsHandler(wiring.consultations(), wiring.proposals(), wiring.idempotency());
    }
}
