package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.SamTemplate;
import org.territoire.shared.json.Json;

class ScheduleEmulatorTest {

    @Test
    void rateExpressions_becomePeriods_andCronIsRefused() {
        assertThat(ScheduleEmulator.period("rate(5 minutes)")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ScheduleEmulator.period("rate(1 hour)")).isEqualTo(Duration.ofHours(1));
        assertThat(ScheduleEmulator.period("rate(2 days)")).isEqualTo(Duration.ofDays(2));
        assertThatThrownBy(() -> ScheduleEmulator.period("cron(0 12 * * ? *)")).hasMessageContaining("cron");
    }

    @Test
    void theTemplatesSchedules_areFound_andSentAsEventBridgeScheduledEvents() {
        SamTemplate template = SamTemplate.load();
        assertThat(template.schedules()).extracting(SamTemplate.Schedule::functionLogicalId).contains("BookingsSweepFunction");

        var event = Json.tree(ScheduleEmulator.event(template.schedules().get(0)));
        assertThat(event.path("detail-type").asText()).isEqualTo("Scheduled Event");
        assertThat(event.path("source").asText()).isEqualTo("aws.events");
        assertThat(event.path("resources").get(0).asText()).contains(":rule/");
    }
}
