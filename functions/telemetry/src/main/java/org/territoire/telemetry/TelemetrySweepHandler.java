package org.territoire.telemetry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.shared.config.Env;
import org.territoire.shared.json.Json;
import org.territoire.shared.observability.Observability;
import org.territoire.telemetry.alert.AlertEvaluator;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.store.DynamoTelemetryStore;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Scheduled: raises the offline alert of every device not heard from for longer than
 * {@code OFFLINE_AFTER_MINUTES} (60 by default), read from a sparse index ordered by the time
 * each device was last heard from. The next message from the device clears it.
 */
public final class TelemetrySweepHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetrySweepHandler.class);

    private final DynamoTelemetryStore store;
    private final Clock clock;
    private final Duration offlineAfter;

    public TelemetrySweepHandler() {
        this(Wiring.fromEnvironment(), Duration.ofMinutes(Long.parseLong(Env.getOrDefault("OFFLINE_AFTER_MINUTES", "60"))));
    }

    TelemetrySweepHandler(Wiring wiring, Duration offlineAfter) {
        this.store = wiring.store();
        this.clock = wiring.clock();
        this.offlineAfter = offlineAfter;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        int raised = PowertoolsLogging.withLogging(context, () -> {
            try {
                return sweep();
            } finally {
                Observability.metrics().flush();
            }
        });
        output.write(Json.write(Map.of("offlineRaised", raised, "failed", lastFailures)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Each device on its own: one whose alert cannot be evaluated or stored (a storage failure,
     * an item this code cannot read) is logged by its id, counted in {@code SweepFailures}, and
     * the sweep goes on with the others; the next sweep tries it again.
     */
    int sweep() {
        Instant now = clock.instant();
        AlertEvaluator alerts = new AlertEvaluator(store, store);
        int raised = 0;
        int failed = 0;
        Optional<String> token = Optional.empty();
        do {
            var page = store.silentSince(now.minus(offlineAfter), 100, token);
            for (Device device : page.items()) {
                try {
                    Instant lastHeard = store.latest(device.id()).map(r -> r.at()).orElse(device.createdAt());
                    if (alerts.offline(device, lastHeard, now).isPresent()) {
                        raised++;
                    }
                } catch (RuntimeException e) {
                    failed++;
                    // The device's id only: a personal device's owner is not logged.
                    LOG.error("offline sweep could not check device {}", device.id(), e);
                }
            }
            token = Optional.ofNullable(page.nextToken());
        } while (token.isPresent());
        Observability.count("DevicesOffline", raised);
        Observability.count("SweepFailures", failed);
        LOG.info("offline sweep: {} alerts raised, {} devices failed", raised, failed);
        lastFailures = failed;
        return raised;
    }

    /** Devices the last sweep could not check (for tests and the handler's answer). */
    private int lastFailures;

    int lastFailures() {
        return lastFailures;
    }
}
