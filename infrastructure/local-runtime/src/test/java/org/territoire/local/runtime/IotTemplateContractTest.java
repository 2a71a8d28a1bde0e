package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.SamTemplate;

/** template.yaml's IoT parts: the devices' policy, the telemetry rule, and the functions' IoT permissions. */
class IotTemplateContractTest {
    private static final String DISTRICT = "${iot:Connection.Thing.Attributes[district]}";
    private static final String THING = "${iot:Connection.Thing.ThingName}";
    private static JsonNode resources;

    @BeforeAll
    static void load() {
        resources = SamTemplate.load().root().path("Resources");
    }

    @Test
    void devicePolicy_bindsEachTopicToTheThingsOwnDistrict_andName() {
        JsonNode statements = resources.path("DevicePolicy").path("Properties").path("PolicyDocument").path("Statement");
        List<String> topics = new ArrayList<>();
        for (JsonNode s : statements) {
            assertThat(s.path("Effect").asText()).isEqualTo("Allow");
            String action = s.path("Action").asText();
            List<String> arns = resourcesOf(s).stream().map(r -> r.replace("${!", "${")).toList();
            switch (action) {
                case "iot:Connect" -> assertThat(arns).containsExactly(
                        "arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:client/" + THING);
                case "iot:Publish" -> assertThat(arns).containsExactly("arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:topic/"
                        + "$aws/rules/territoire_telemetry/dt/territory/" + DISTRICT + "/" + THING + "/telemetry");
                case "iot:Subscribe" -> assertThat(arns).containsExactly("arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:topicfilter/"
                        + "cmd/territory/" + DISTRICT + "/" + THING + "/*");
                case "iot:Receive" -> assertThat(arns).containsExactly("arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:topic/"
                        + "cmd/territory/" + DISTRICT + "/" + THING + "/*");
                default -> throw new AssertionError("the devices' policy grants " + action);
            }
            topics.addAll(arns);
        }
        assertThat(topics).hasSize(4).noneMatch(t -> t.contains("territory/*"));
    }

    @Test
    void telemetryRule_passesThePublishingClientId_toTheIngestFunction() {
        String sql = resources.path("TelemetryIngestRule").path("Properties").path("TopicRulePayload").path("Sql").asText();
        assertThat(sql).contains("clientid() AS clientId").contains("topic(4) AS deviceId").contains("topic(3) AS district");
    }

    @Test
    void bookings_mayPublishOnlyUnlockCommands() {
        List<JsonNode> iot = iotStatements("BookingsFunction");
        assertThat(iot).hasSize(1);
        assertThat(actionsOf(iot.get(0))).containsExactly("iot:Publish");
        assertThat(resourcesOf(iot.get(0))).containsExactly(
                "arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:topic/cmd/territory/*/*/unlock");
    }

    @Test
    void telemetryApi_mayMakeCertificatesFromCsrs_andNoOtherIotActionThanProvisioning() {
        List<String> actions = iotStatements("TelemetryApiFunction").stream().flatMap(s -> actionsOf(s).stream()).toList();
        // Provisioning, and undoing a provisioning that failed after its certificate was issued.
        assertThat(actions).containsExactlyInAnyOrder("iot:CreateThing", "iot:CreateCertificateFromCsr", "iot:CreateKeysAndCertificate",
                "iot:AttachThingPrincipal", "iot:AttachPolicy", "iot:UpdateCertificate", "iot:DeleteCertificate", "iot:DetachThingPrincipal",
                "iot:DetachPolicy");
        for (JsonNode s : iotStatements("TelemetryApiFunction")) {
            if (actionsOf(s).contains("iot:AttachPolicy") || actionsOf(s).contains("iot:DetachPolicy")) {
                assertThat(resourcesOf(s)).anyMatch(r -> r.endsWith(":policy/${DevicePolicy}")).noneMatch(r -> r.endsWith(":policy/*"));
            }
        }
    }

    private static List<JsonNode> iotStatements(String function) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode policy : resources.path(function).path("Properties").path("Policies")) {
            for (JsonNode s : policy.path("Statement")) {
                if (actionsOf(s).stream().anyMatch(a -> a.startsWith("iot:"))) {
                    found.add(s);
                }
            }
        }
        return found;
    }

    private static List<String> actionsOf(JsonNode statement) {
        return IotPolicy.values(statement.path("Action"));
    }

    private static List<String> resourcesOf(JsonNode statement) {
        return IotPolicy.values(statement.path("Resource"));
    }
}
