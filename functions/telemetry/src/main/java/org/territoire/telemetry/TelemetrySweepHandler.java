package org.territoire.telemetry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.shared.json.Json;
import org.territoire.shared.observability.Logging;
import org.territoire.shared.observability.Observability;
import org.territoire.telemetry.alert.OfflineSweep;

/**
 * Scheduled: raises the offline alert of every device not heard from for longer than
 * {@code OFFLINE_AFTER_MINUTES} (60 by default); see {@link OfflineSweep}.
 */
public final class TelemetrySweepHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetrySweepHandler.class);

    private final OfflineSweep sweep;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public TelemetrySweepHandler() {
        this(Wiring.fromEnvironment().sweep());
    }

    /** For tests. */
    public TelemetrySweepHandler(OfflineSweep sweep) {
        this.sweep = sweep;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        Views.SweepResult result = Logging.withLogging(context, () -> {
            try {
                return sweep();
            } finally {
                Observability.flush();
            }
        });
        output.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
    }

    Views.SweepResult sweep() {
        OfflineSweep.Result result = sweep.sweep();
        // The device's id only: a personal device's owner is not logged.
        result.failures().forEach(f -> LOG.error("offline sweep could not check device {}", f.deviceId(), f.error()));
        Observability.count("DevicesOffline", result.raised());
        Observability.count("SweepFailures", result.failed());
        LOG.info("offline sweep: {} alerts raised, {} devices failed", result.raised(), result.failed());
        return new Views.SweepResult(result.raised(), result.failed());
    }
}
