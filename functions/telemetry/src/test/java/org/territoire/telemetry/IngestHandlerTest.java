package org.territoire.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.MutableClock;
import org.territoire.shared.ddb.PaginationKey;

/** What the IoT rule may hand the function that is not a telemetry message: answered, counted, never thrown. */
class IngestHandlerTest {
    private final TelemetryIngestHandler handler = new TelemetryIngestHandler(Wiring.of(LocalAws.shared().dynamoDb(), "TelemetryTable",
            new MutableClock(Instant.parse("2026-11-25T12:00:00Z")), PaginationKey.load()).ingest((r, o, a, d) -> { }));

    @Test
    void notJson_tooLarge_orNotAnObject_isRejectedWithItsReason() {
        assertThat(handler.handle("garbage{".getBytes(StandardCharsets.UTF_8))).isEqualTo(new Views.IngestResult(null, null, null, List.of("message is not a JSON object")));
        assertThat(handler.handle("[1,2]".getBytes(StandardCharsets.UTF_8))).isEqualTo(new Views.IngestResult(null, null, null, List.of("message is not a JSON object")));
        assertThat(handler.handle(new byte[TelemetryIngestHandler.MAX_BYTES + 1]).rejected().toString()).contains("larger than");
    }

    @Test
    void anUnknownDevice_isRejectedWhole() {
        Views.IngestResult result = handler.handle("{\"deviceId\":\"ghost\",\"district\":\"centre\",\"clientId\":\"ghost\",\"at\":\"2026-11-25T11:00:00Z\",\"laeq_db\":40}"
                .getBytes(StandardCharsets.UTF_8));

        assertThat(result.stored()).isEqualTo(0);
        assertThat(result.rejected().toString()).contains("unknown device ghost");
    }

    @Test
    void aMessageOnADevicesTopic_fromAnotherClient_isRejectedWhole() {
        Views.IngestResult result = handler.handle(("{\"deviceId\":\"meter-a\",\"district\":\"centre\",\"clientId\":\"meter-b\","
                + "\"at\":\"2026-11-25T11:00:00Z\",\"energy_kwh\":4}").getBytes(StandardCharsets.UTF_8));

        assertThat(result.stored()).isEqualTo(0);
        assertThat(result.rejected().toString()).contains("device meter-a was published by client meter-b");
    }

    @Test
    void priming_answersAsTheHandler_andItsInMemoryCheck_acceptsItsReading() {
        handler.prime();

        assertThat(TelemetryIngestHandler.checkInMemory(org.territoire.shared.json.Json.tree(TelemetryIngestHandler.PRIMING_MESSAGE)))
                .isEqualTo(new Views.IngestResult(org.territoire.shared.observability.EventPriming.ABSENT, 1, 0, List.of()));
        assertThat(handler.handle(TelemetryIngestHandler.PRIMING_MESSAGE.getBytes(StandardCharsets.UTF_8)).rejected().toString())
                .contains("unknown device");
    }
}
