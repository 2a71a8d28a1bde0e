package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.territoire.local.aws.SamTemplate;
import software.amazon.awssdk.crt.io.SocketOptions;
import software.amazon.awssdk.crt.mqtt.MqttClient;
import software.amazon.awssdk.crt.mqtt.MqttClientConnection;
import software.amazon.awssdk.crt.mqtt.MqttConnectionConfig;
import software.amazon.awssdk.crt.mqtt.MqttMessage;
import software.amazon.awssdk.crt.mqtt.QualityOfService;

/**
 * Messages published over real MQTT (the AWS IoT Device SDK's CRT client) reach the template's
 * rules, which invoke functions. The publisher here is the local runtime's operator (any client
 * id, any topic); what devices may do is IotCoreSecurityTest's.
 */
class IotCoreEmulatorTest {
    @TempDir
    static Path data;
    private static IotCoreEmulator iot;
    private static DeviceSdkMqtt mqtt;
    private static MqttClient client;

    @BeforeAll
    static void start() throws Exception {
        org.territoire.local.aws.LocalAws.shared(); // the things' registry: the local control plane
        SamTemplate template = SamTemplate.load(Path.of(IotCoreEmulatorTest.class.getResource("/iot-rules-template.yaml").toURI()));
        iot = new IotCoreEmulator(template, new FunctionHost(), 0, data);
        mqtt = new DeviceSdkMqtt();
        client = mqtt.client;
    }

    @AfterAll
    static void stop() {
        mqtt.close();
        iot.close();
    }

    @BeforeEach
    void clear() {
        RecordingHandler.EVENTS.clear();
    }

    @Test
    void rulesOfBothForms_areLoadedFromTheTemplate() {
        assertThat(iot.ruleNames()).containsExactlyInAnyOrder("test_ingest", "RecorderFunctionAlerts", "FailingFunctionBroken");
    }

    @Test
    void basicIngest_deliversToItsRule_withTheTopicSeenWithoutThePrefix() throws Exception {
        publish("meter-1", "$aws/rules/test_ingest/dt/territory/centre/meter-1/telemetry", "{\"readings\":[{\"kwh\":1.5}]}");

        JsonNode event = next();
        assertThat(event.path("district").asText()).isEqualTo("centre");
        assertThat(event.path("deviceId").asText()).isEqualTo("meter-1");
        assertThat(event.path("clientId").asText()).isEqualTo("meter-1");
        assertThat(event.path("readings").get(0).path("kwh").asDouble()).isEqualTo(1.5);
        assertThat(event.path("receivedAt").asLong()).isPositive();
    }

    @Test
    void aMessageThroughTheBroker_reachesEveryRuleWhoseFilterMatches() throws Exception {
        publish("meter-2", "dt/territory/gare/meter-2/telemetry", "{\"n\":1}");
        publish("sensor", "alerts/air/pm25", "{\"reading\":{\"level\":4}}");

        JsonNode first = next();
        JsonNode second = next();
        assertThat(java.util.List.of(first, second)).anySatisfy(e -> assertThat(e.path("deviceId").asText()).isEqualTo("meter-2"))
                .anySatisfy(e -> {
                    assertThat(e.path("level").asInt()).isEqualTo(4);
                    assertThat(e.path("source").asText()).isEqualTo("alerts/air/pm25");
                });
    }

    @Test
    void unknownRules_andUnmatchedTopics_deliverNothing() throws Exception {
        publish("x", "$aws/rules/no_such_rule/dt/territory/centre/x/telemetry", "{}");
        publish("x", "dt/elsewhere/x", "{}");

        assertThat(RecordingHandler.EVENTS.poll(1, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void aPayloadTheRuleCannotRead_andAFunctionThatKeepsFailing_endAsDeadLetters() throws Exception {
        publish("meter-3", "$aws/rules/test_ingest/dt/territory/centre/meter-3/telemetry", "not json");
        publish("thing", "broken/1", "{\"a\":1}");

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (iot.deadLetters().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(iot.deadLetters()).anySatisfy(d -> {
            assertThat(d.rule()).isEqualTo("test_ingest");
            assertThat(d.reason()).contains("rule evaluation failed");
        }).anySatisfy(d -> assertThat(d.rule()).isEqualTo("FailingFunctionBroken"));
        assertThat(FailingHandler.ATTEMPTS.get()).isEqualTo(3);
    }

    private static JsonNode next() throws InterruptedException {
        JsonNode event = RecordingHandler.EVENTS.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("an event delivered to the function").isNotNull();
        return event;
    }

    private static void publish(String clientId, String topic, String payload) throws Exception {
        try (MqttConnectionConfig config = new MqttConnectionConfig()) {
            config.setMqttClient(client);
            config.setClientId(clientId);
            config.setUsername(iot.operatorCredentials().username());
            config.setPassword(iot.operatorCredentials().password());
            config.setEndpoint("127.0.0.1");
            config.setPort(iot.port());
            config.setCleanSession(true);
            config.setKeepAliveSecs(30);
            config.setSocketOptions(new SocketOptions());
            try (MqttClientConnection connection = new MqttClientConnection(config)) {
                connection.connect().get(10, TimeUnit.SECONDS);
                connection.publish(new MqttMessage(topic, payload.getBytes(StandardCharsets.UTF_8),
                        QualityOfService.AT_LEAST_ONCE, false)).get(10, TimeUnit.SECONDS);
                connection.disconnect().get(10, TimeUnit.SECONDS);
            }
        }
    }
}
