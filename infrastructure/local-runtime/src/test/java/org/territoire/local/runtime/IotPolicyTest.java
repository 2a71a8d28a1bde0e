package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.SamTemplate;
import org.territoire.shared.json.Json;

/** The template's DevicePolicy, evaluated as IoT Core evaluates it for a connected thing. */
class IotPolicyTest {
    private static final String ARN = "arn:aws:iot:eu-west-3:123456789012:";
    private static final IotPolicy DEVICE_POLICY = IotPolicy.parse(Json.write(SamTemplate.load().root().path("Resources")
            .path("DevicePolicy").path("Properties").path("PolicyDocument")).replace("${AWS::Partition}", "aws")
            .replace("${AWS::Region}", "eu-west-3").replace("${AWS::AccountId}", "123456789012").replace("${!", "${"));
    private static final IotPolicy.Context METER = new IotPolicy.Context("meter-1", "meter-1", Map.of("district", "centre"), true);

    @Test
    void aThing_mayConnectAsItself_publishItsOwnTelemetry_andListenToItsOwnCommands_inItsDistrict() {
        assertThat(may("iot:Connect", "client/meter-1", METER)).isTrue();
        assertThat(may("iot:Publish", "topic/$aws/rules/territoire_telemetry/dt/territory/centre/meter-1/telemetry", METER)).isTrue();
        assertThat(may("iot:Subscribe", "topicfilter/cmd/territory/centre/meter-1/#", METER)).isTrue();
        assertThat(may("iot:Receive", "topic/cmd/territory/centre/meter-1/unlock", METER)).isTrue();
    }

    @Test
    void anotherClientId_anotherDevice_anotherDistrict_orWildcards_areDenied() {
        assertThat(may("iot:Connect", "client/meter-2", METER)).isFalse();
        assertThat(may("iot:Publish", "topic/$aws/rules/territoire_telemetry/dt/territory/centre/meter-2/telemetry", METER)).isFalse();
        assertThat(may("iot:Publish", "topic/$aws/rules/territoire_telemetry/dt/territory/gare/meter-1/telemetry", METER)).isFalse();
        assertThat(may("iot:Publish", "topic/dt/territory/centre/meter-1/telemetry", METER)).isFalse();
        assertThat(may("iot:Subscribe", "topicfilter/#", METER)).isFalse();
        assertThat(may("iot:Subscribe", "topicfilter/cmd/territory/centre/+/unlock", METER)).isFalse();
        assertThat(may("iot:Receive", "topic/cmd/territory/gare/meter-1/unlock", METER)).isFalse();
    }

    @Test
    void aThingWithoutADistrictAttribute_orACertificateNotAttachedToIt_mayDoNothing() {
        var noDistrict = new IotPolicy.Context("meter-1", "meter-1", Map.of(), true);
        var detached = new IotPolicy.Context("meter-1", "meter-1", Map.of("district", "centre"), false);

        assertThat(may("iot:Publish", "topic/$aws/rules/territoire_telemetry/dt/territory/centre/meter-1/telemetry", noDistrict)).isFalse();
        assertThat(may("iot:Connect", "client/meter-1", detached)).isFalse();
    }

    @Test
    void anExplicitDeny_winsOverAnAllow() {
        IotPolicy deny = IotPolicy.parse("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["iot:Publish"],"Resource":"%stopic/$aws/rules/*"}]}"""
                .formatted(ARN));

        assertThat(IotPolicy.allows(List.of(DEVICE_POLICY, deny), "iot:Publish",
                ARN + "topic/$aws/rules/territoire_telemetry/dt/territory/centre/meter-1/telemetry", METER)).isFalse();
        assertThat(IotPolicy.allows(List.of(DEVICE_POLICY, deny), "iot:Connect", ARN + "client/meter-1", METER)).isTrue();
    }

    @Test
    void aDenyWithAConditionTheEvaluatorCannotRead_stillDenies_andSuchAnAllowGrantsNothing() {
        IotPolicy deny = IotPolicy.parse("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["iot:Publish"],"Resource":"%stopic/*",
                 "Condition":{"StringEquals":{"iot:ClientId":"someone"}}}]}""".formatted(ARN));
        IotPolicy allow = IotPolicy.parse("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iot:Subscribe"],"Resource":"%stopicfilter/*",
                 "Condition":{"StringEquals":{"iot:ClientId":"meter-1"}}}]}""".formatted(ARN));

        assertThat(IotPolicy.allows(List.of(DEVICE_POLICY, deny), "iot:Publish",
                ARN + "topic/$aws/rules/territoire_telemetry/dt/territory/centre/meter-1/telemetry", METER)).isFalse();
        assertThat(IotPolicy.allows(List.of(allow), "iot:Subscribe", ARN + "topicfilter/anything", METER)).isFalse();
    }

    private static boolean may(String action, String resource, IotPolicy.Context context) {
        return IotPolicy.allows(List.of(DEVICE_POLICY), action, ARN + resource, context);
    }
}
