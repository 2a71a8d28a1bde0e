package org.territoire.telemetry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.shared.json.Json;
import org.territoire.shared.observability.Logging;
import org.territoire.shared.observability.Observability;
import org.territoire.telemetry.ingest.IngestService;

/**
 * Invoked by the IoT rule on every device message (Basic Ingest, asynchronously): stores what
 * is valid, counts and logs what is not. A bad message or reading is answered, not thrown, so
 * that it is not retried; a storage failure is thrown, so that Lambda retries the event and,
 * after its retries, sends it to the dead-letter queue.
 */
public final class TelemetryIngestHandler implements RequestStreamHandler, org.territoire.shared.observability.EventPriming.Hook {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryIngestHandler.class);
    /** IoT Core's own limit is 128 KB; a telemetry message is far smaller. */
    static final int MAX_BYTES = 64 * 1024;

    private final IngestService ingest;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public TelemetryIngestHandler() {
        this(Wiring.fromEnvironment().ingest());
        org.territoire.shared.observability.EventPriming.register(this);
    }

    /** For tests. */
    public TelemetryIngestHandler(IngestService ingest) {
        this.ingest = ingest;
    }

    /**
     * SnapStart: a message of a device that does not exist, as the IoT rule hands it (its device read,
     * then "unknown device"), answered as the handler answers it ({@link Views.IngestResult}, whose
     * serializer Jackson builds on its first use: the first event's largest share of classes left
     * when priming rendered the service's {@code Outcome} instead): nothing stored, nothing counted,
     * no alert, nothing logged.
     */
    @Override
    public void prime() {
        org.territoire.shared.observability.EventPriming.prime(PRIMING_MESSAGE, event -> view(ingest.ingest(event)),
                TelemetryIngestHandler::checkInMemory);
    }

    /** Priming's message: a valid reading of a device nobody registered, as the IoT rule hands it. */
    static final String PRIMING_MESSAGE = """
            {"deviceId":"%1$s","clientId":"%1$s","district":"centre","topic":"territoire/devices/%1$s/telemetry",
             "readings":[{"at":"1970-01-01T00:00:00Z","pm2_5_ugm3":4.2}]}""".formatted(org.territoire.shared.observability.EventPriming.ABSENT);

    /**
     * A registered device's first step, in memory only (no read, no write): the message's readings
     * checked against an air-quality device made here, at the readings' own time.
     */
    static Views.IngestResult checkInMemory(JsonNode message) {
        String absent = org.territoire.shared.observability.EventPriming.ABSENT;
        org.territoire.telemetry.device.Device device = new org.territoire.telemetry.device.Device(absent,
                org.territoire.telemetry.device.DeviceKind.AIR_QUALITY, "centre", null, null, null, null, absent, java.time.Instant.EPOCH, absent);
        var checked = org.territoire.telemetry.reading.ReadingValidator.check(device, message, java.time.Instant.EPOCH);
        return view(new IngestService.Outcome(absent, checked.accepted().size(), 0,
                checked.rejected().stream().map(r -> r.index() + ": " + r.reason()).toList(), java.util.List.of()));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] bytes = input.readNBytes(MAX_BYTES + 1);
        Views.IngestResult result = Logging.withLogging(context, () -> {
            try {
                return handle(bytes);
            } finally {
                Observability.flush();
            }
        });
        output.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
    }

    Views.IngestResult handle(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            return rejectedMessage("message larger than " + MAX_BYTES + " bytes");
        }
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(bytes);
        } catch (IOException | RuntimeException e) {
            message = null;
        }
        if (message == null || !message.isObject()) {
            return rejectedMessage("message is not a JSON object");
        }
        IngestService.Outcome outcome = ingest.ingest(message);
        Observability.count("ReadingsStored", outcome.stored());
        Observability.count("ReadingsDuplicate", outcome.duplicates());
        Observability.count("ReadingsRejected", outcome.rejected().size());
        outcome.alerts().forEach(a -> LOG.info("alert raised: {} on {}", a.rule(), a.deviceId()));
        if (!outcome.rejected().isEmpty()) {
            LOG.warn("device {}: rejected {}", outcome.deviceId(), outcome.rejected());
        }
        return view(outcome);
    }

    /** What the IoT rule is answered for {@code outcome}. */
    static Views.IngestResult view(IngestService.Outcome outcome) {
        return new Views.IngestResult(outcome.deviceId(), outcome.stored(), outcome.duplicates(), outcome.rejected());
    }

    private static Views.IngestResult rejectedMessage(String reason) {
        LOG.warn("message rejected: {}", reason);
        Observability.count("MessagesRejected");
        return new Views.IngestResult(null, null, null, java.util.List.of(reason));
    }
}
