package org.territoire.telemetry.reading;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.shared.json.Json;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;

/** Each reading is judged on its own: the bad ones are named, the good ones kept. */
@Tag("unit")
class ReadingValidatorTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final Device AIR = new Device("air-1", DeviceKind.AIR_QUALITY, "centre", 45.76, 4.83, null, null, null, NOW, "agent");
    private static final Device SPOT = new Device("spot-1", DeviceKind.PARKING_SENSOR, "centre", null, null, null, "r1", null, NOW, "agent");

    @Test
    void badReadings_areRejectedWithTheirReason_withoutLosingTheGoodOnes() {
        var outcome = ReadingValidator.check(AIR, Json.tree("""
                {"readings":[
                  {"at":"2026-11-25T09:50:00Z","pm2_5_ugm3":12.5,"no2_ugm3":20},
                  {"at":"2026-11-25T09:51:00Z","pm2_5":12.5},
                  {"at":"2026-11-25T09:52:00Z","pm2_5_ugm3":-3},
                  {"at":"2026-11-25T11:00:00Z","pm2_5_ugm3":10},
                  {"at":"yesterday","pm2_5_ugm3":10},
                  {"at":"2026-11-25T09:53:00Z","pm2_5_ugm3":"high"},
                  {"at":"2026-11-25T09:54:00Z"},
                  {"at":"2026-11-25T09:55:00Z","o3_ugm3":41}
                ]}"""), NOW);

        assertThat(outcome.accepted()).extracting(r -> r.at().toString()).containsExactly("2026-11-25T09:50:00Z", "2026-11-25T09:55:00Z");
        assertThat(outcome.rejected()).extracting(ReadingValidator.Rejected::index).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(outcome.rejected().get(0).reason()).contains("pm2_5: not a field");
        assertThat(outcome.rejected().get(1).reason()).contains("outside");
        assertThat(outcome.rejected().get(2).reason()).contains("future");
    }

    @Test
    void flags_areTrueOrFalse_storedAsOneOrZero_andASingleReadingMayComeBare() {
        var ok = ReadingValidator.check(SPOT, Json.tree("{\"at\":\"2026-11-25T09:59:00Z\",\"occupied\":true}"), NOW);
        var bad = ReadingValidator.check(SPOT, Json.tree("{\"at\":\"2026-11-25T09:59:00Z\",\"occupied\":1}"), NOW);

        assertThat(ok.accepted().get(0).values()).containsEntry("occupied", 1.0);
        assertThat(bad.rejected().get(0).reason()).contains("true or false");
    }

    @Test
    void tooManyReadings_orNoArray_rejectTheMessage() {
        StringBuilder many = new StringBuilder("{\"readings\":[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("{\"at\":\"2026-11-25T09:00:00Z\",\"laeq_db\":40}");
        }
        assertThat(ReadingValidator.check(AIR, Json.tree(many + "]}"), NOW).rejected().get(0).reason()).contains("at most 100");
        assertThat(ReadingValidator.check(AIR, Json.tree("{\"readings\":\"none\"}"), NOW).rejected()).hasSize(1);
    }
}
