package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.SamTemplate;
import org.territoire.shared.json.Json;

class EventBridgeEmulatorTest {

    @Test
    void patterns_matchExactValues_nestedFields_andArrayFields() {
        var pattern = Json.tree("{\"source\":[\"territoire.telemetry\"],\"detail-type\":[\"Occupancy Changed\"],"
                + "\"detail\":{\"occupied\":[true]}}");

        assertThat(EventBridgeEmulator.matches(pattern, Json.tree("{\"source\":\"territoire.telemetry\","
                + "\"detail-type\":\"Occupancy Changed\",\"detail\":{\"occupied\":true,\"resourceId\":\"r\"}}"))).isTrue();
        assertThat(EventBridgeEmulator.matches(pattern, Json.tree("{\"source\":\"territoire.telemetry\","
                + "\"detail-type\":\"Occupancy Changed\",\"detail\":{\"occupied\":false}}"))).isFalse();
        assertThat(EventBridgeEmulator.matches(pattern, Json.tree("{\"source\":\"other\",\"detail-type\":\"Occupancy Changed\"}")))
                .isFalse();
        assertThat(EventBridgeEmulator.matches(Json.tree("{\"resources\":[\"arn:a\"]}"), Json.tree("{\"resources\":[\"arn:b\",\"arn:a\"]}")))
                .isTrue();
    }

    @Test
    void contentFiltersItDoesNotRun_areRefusedWhenTheTemplateIsLoaded() throws Exception {
        SamTemplate template = SamTemplate.load(Path.of(getClass().getResource("/event-rules-template.yaml").toURI()));

        assertThatThrownBy(() -> new EventBridgeEmulator(template, new FunctionHost())).hasMessageContaining("exact values only");
    }

    @Test
    void theProjectTemplatesRules_areLoaded() {
        EventBridgeEmulator events = new EventBridgeEmulator(SamTemplate.load(), new FunctionHost());
        try {
            assertThat(events.ruleNames()).contains("BookingsEventsFunction.OccupancyChanged");
        } finally {
            events.close();
        }
    }
}
