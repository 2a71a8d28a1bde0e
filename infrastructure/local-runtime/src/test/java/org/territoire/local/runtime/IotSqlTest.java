package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.territoire.shared.json.Json;

class IotSqlTest {
    private final IotSql rule = IotSql.parse(
            "SELECT *, topic(3) AS district, topic(4) AS deviceId, timestamp() AS receivedAt FROM 'dt/territory/+/+/telemetry'");

    @Test
    void topicFilter_matchesSingleLevelWildcards_only() {
        assertThat(rule.matches("dt/territory/centre/meter-1/telemetry")).isTrue();
        assertThat(rule.matches("dt/territory/centre/meter-1/cmd")).isFalse();
        assertThat(rule.matches("dt/territory/centre/telemetry")).isFalse();
        assertThat(rule.matches("dt/territory/centre/meter-1/telemetry/extra")).isFalse();
        assertThat(IotSql.parse("SELECT * FROM 'alerts/#'").matches("alerts/air/pm25")).isTrue();
    }

    @Test
    void select_mergesThePayload_withTopicLevelsAndTimestamp() {
        var out = rule.select(new IotSql.Message("dt/territory/centre/meter-1/telemetry", "meter-1",
                Json.tree("{\"readings\":[{\"kwh\":12.5}]}"), 1_795_600_800_000L));

        assertThat(out.path("district").asText()).isEqualTo("centre");
        assertThat(out.path("deviceId").asText()).isEqualTo("meter-1");
        assertThat(out.path("receivedAt").asLong()).isEqualTo(1_795_600_800_000L);
        assertThat(out.path("readings").get(0).path("kwh").asDouble()).isEqualTo(12.5);
    }

    @Test
    void select_projectsNestedFields_wholeTopic_andClientId() {
        IotSql sql = IotSql.parse("SELECT reading.level AS level, topic() AS source, clientid() FROM 'alerts/#'");

        var out = sql.select(new IotSql.Message("alerts/air", "sensor-9", Json.tree("{\"reading\":{\"level\":3},\"other\":1}"), 0));

        assertThat(out.path("level").asInt()).isEqualTo(3);
        assertThat(out.path("source").asText()).isEqualTo("alerts/air");
        assertThat(out.path("clientid").asText()).isEqualTo("sensor-9");
        assertThat(out.has("other")).isFalse();
    }

    @Test
    void unsupportedSql_isRefusedWhenLoaded_notIgnored() {
        assertThatThrownBy(() -> IotSql.parse("SELECT * FROM 'a/+' WHERE temperature > 50"))
                .hasMessageContaining("WHERE temperature > 50");
        assertThatThrownBy(() -> IotSql.parse("SELECT upper(name) FROM 'a/+'")).hasMessageContaining("upper(name)");
        assertThatThrownBy(() -> IotSql.parse("DELETE FROM 'a'")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void selectStar_ofAPayloadThatIsNotAJsonObject_fails() {
        assertThatThrownBy(() -> rule.select(new IotSql.Message("dt/territory/c/d/telemetry", "d", Json.MAPPER.missingNode(), 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
