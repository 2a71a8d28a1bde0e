package org.territoire.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.Faults;
import org.territoire.local.aws.Faults.Fault;
import org.territoire.local.aws.Faults.Rule;
import org.territoire.local.aws.LocalAws;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The feedback function when the local endpoint fails on purpose. */
class FeedbackUnderFaultsTest {
    private static FeedbackFixture feedback;

    @BeforeAll
    static void start() {
        assumeTrue(LocalAws.shared().faults().isPresent(), "faults need the project's own endpoint");
        feedback = FeedbackFixture.start();
    }

    @Test
    void aServiceCreation_whoseAnswerIsLost_isReportedCreated_andStoredOnce() {
        String name = "Lost answer " + UUID.randomUUID();
        ApiResponse created;
        java.util.Map<String, Integer> injected;
        try (Faults faults = LocalAws.shared().faults().orElseThrow()) {
            // The put is applied, its answer dropped; the SDK retries it into its own condition.
            faults.inject(20261201L, new Rule("PutItem", FeedbackFixture.TABLE, Fault.DROP_AFTER_APPLYING, 1.0, 1));
            created = feedback.send("POST", "/services", org.territoire.local.aws.TestRequests.agent(),
                    "{\"name\":\"" + name + "\",\"kind\":\"PEER\",\"category\":\"shared-workshop\",\"organisationId\":\"mairie\","
                            + "\"districts\":[\"centre\"]}");
            injected = faults.injected();
        }

        assertThat(injected).containsEntry("DropAfterApplying", 1);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode service = Json.tree(created.body());
        String id = service.path("id").asText();
        assertThat(feedback.send("GET", "/services/" + id, org.territoire.local.aws.TestRequests.resident("r"), null).statusCode())
                .isEqualTo(200);
        long stored = feedback.dynamo().scanPaginator(s -> s.tableName(FeedbackFixture.TABLE).consistentRead(true)
                        .filterExpression("#n = :n").expressionAttributeNames(java.util.Map.of("#n", "name"))
                        .expressionAttributeValues(java.util.Map.of(":n", AttributeValue.fromS(name))))
                .items().stream().count();
        assertThat(stored).isEqualTo(1);
    }
}
