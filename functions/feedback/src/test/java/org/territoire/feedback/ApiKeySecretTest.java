package org.territoire.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.territoire.local.aws.TestRequests.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.TableText;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.HttpApiEvent;
import org.territoire.shared.json.Json;

/**
 * An Open311 api_key is shown once: against the local endpoint, no item of the table holds it,
 * replay records included; and no error sends back an api_key a client posted.
 */
class ApiKeySecretTest {
    private static final String TABLE = FeedbackFixture.TABLE;

    @Test
    void aJsonBody_postedToTheFormRoute_isRefused_withoutQuotingItsApiKey() {
        FeedbackFixture feedback = FeedbackFixture.start();
        FeedbackHandler handler = feedback.handler;
        String apiKey = "t311_0123456789abcdef_" + UUID.randomUUID();
        String json = "{\"api_key\":\"" + apiKey + "\",\"service_code\":\"x\",\"description\":\"Lampadaire éteint\"}";

        for (String contentType : new String[] {"application/json", "application/x-www-form-urlencoded"}) {
            ApiResponse refused = handler.handle(new HttpApiEvent(UUID.randomUUID().toString(), "POST", "/open311/v2/requests.json",
                    Map.of("content-type", contentType), Map.of(), Map.of(), json, Map.of()));

            assertThat(refused.statusCode()).as(contentType).isEqualTo(400);
            assertThat(refused.body()).as(contentType).doesNotContain(apiKey.substring(22)).doesNotContain("api_key\\\"");
            assertThat(Json.tree(refused.body()).get(0).path("description").asText()).as(contentType).startsWith("body:");
        }
    }

    @Test
    void anIssuedApiKey_isStoredNowhere_andItsReplay_saysItWasShownOnce() {
        FeedbackFixture feedback = FeedbackFixture.start();
        FeedbackHandler handler = feedback.handler;
        String org = "key-" + UUID.randomUUID().toString().substring(0, 8);
        String idempotencyKey = UUID.randomUUID().toString();
        HttpApiEvent issue = new HttpApiEvent(UUID.randomUUID().toString(), "POST", "/organisations/" + org + "/open311-keys",
                Map.of("idempotency-key", idempotencyKey), Map.of(), Map.of(), "{\"name\":\"Appli citoyenne\"}", provider(org));

        ApiResponse first = handler.handle(issue);
        ApiResponse replay = handler.handle(issue);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        String apiKey = Json.tree(first.body()).path("apiKey").asText();
        String secret = apiKey.substring("t311_".length() + 16 + 1); // t311_<16 hex key id>_<secret>
        assertThat(secret).hasSizeGreaterThan(20);
        assertThat(TableText.of(feedback.dynamo(), TABLE)).contains(org).doesNotContain(secret);

        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.headers()).containsEntry("idempotency-replayed", "true");
        assertThat(replay.body()).doesNotContain(secret);
        JsonNode replayed = Json.tree(replay.body());
        assertThat(replayed.path("secretShownOnce").asBoolean()).isTrue();
        assertThat(replayed.path("key").path("keyId").asText()).isEqualTo(Json.tree(first.body()).path("key").path("keyId").asText());
        // One key was issued, not two.
        JsonNode listed = Json.tree(handler.handle(new HttpApiEvent(UUID.randomUUID().toString(), "GET",
                "/organisations/" + org + "/open311-keys", Map.of(), Map.of(), Map.of(), null, provider(org))).body());
        assertThat(listed.path("items").size()).isEqualTo(1);
    }
}
