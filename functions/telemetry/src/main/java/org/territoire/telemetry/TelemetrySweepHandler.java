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
import org.territoire.telemetry.district.DistrictRollups;

/**
 * Scheduled: raises the offline alert of every device not heard from for longer than
 * {@code OFFLINE_AFTER_MINUTES} (60 by default), see {@link OfflineSweep}; then computes the
 * district hours that have settled or were marked, see {@link DistrictRollups}.
 */
public final class TelemetrySweepHandler implements RequestStreamHandler, org.territoire.shared.observability.EventPriming.Hook {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetrySweepHandler.class);

    /** The district sweep stops starting hours after this, within the function's 60 s timeout (template.yaml); the next run goes on. */
    static final java.time.Duration DISTRICT_BUDGET = java.time.Duration.ofSeconds(40);

    /** Kept events one run publishes again at most; the next run takes the rest. */
    static final int OUTBOX_BATCH = 100;

    private final OfflineSweep sweep;
    private final DistrictRollups districts;
    private final org.territoire.shared.events.Outbox outbox;
    private final org.territoire.shared.events.DomainEvents bus;
    private final java.time.Clock clock;
    private org.territoire.shared.observability.EventPriming.Step primingRead = event -> java.util.Map.of();

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public TelemetrySweepHandler() {
        this(Wiring.fromEnvironment());
        org.territoire.shared.observability.EventPriming.register(this);
    }

    private TelemetrySweepHandler(Wiring wiring) {
        this(wiring.sweep(), wiring.districtRollups(), wiring.outbox(),
                Wiring.bus(org.territoire.shared.events.EventBridgeDomainEvents.lazyClient()), java.time.Clock.systemUTC());
        this.primingRead = wiring.absentRead();
    }

    /** For tests: with an empty outbox. */
    public TelemetrySweepHandler(OfflineSweep sweep, DistrictRollups districts) {
        this(sweep, districts, org.territoire.shared.events.Outbox.NONE, org.territoire.shared.events.DomainEvents.NONE, java.time.Clock.systemUTC());
    }

    /** For tests: also the outbox of the alerts the bus refused (the ingest's and the sweep's), the bus to publish them on again, the clock. */
    public TelemetrySweepHandler(OfflineSweep sweep, DistrictRollups districts, org.territoire.shared.events.Outbox outbox,
                                 org.territoire.shared.events.DomainEvents bus, java.time.Clock clock) {
        this.sweep = sweep;
        this.districts = districts;
        this.outbox = outbox;
        this.bus = bus;
        this.clock = clock;
    }

    /**
     * SnapStart: the schedule's event and the table client's first call (a GetItem of no item). Both sweeps
     * write as they read (an alert raised, an hour rolled up) and take their time from the clock, so neither runs.
     */
    @Override
    public void prime() {
        org.territoire.shared.observability.EventPriming.prime(org.territoire.shared.observability.EventPriming.SCHEDULE, primingRead);
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
        // First what the bus refused earlier (this capability's outbox), then what is due now.
        org.territoire.shared.events.Outbox.Resent o = outbox.resendInSweep(bus, clock.instant(), OUTBOX_BATCH);
        OfflineSweep.Result result = sweep.sweep();
        // The device's id only: a personal device's owner is not logged.
        result.failures().forEach(f -> LOG.error("offline sweep could not check device {}", f.deviceId(), f.error()));
        Observability.count("DevicesOffline", result.raised());
        Observability.count("SweepFailures", result.failed() + o.failed());
        LOG.info("offline sweep: {} alerts raised, {} devices failed", result.raised(), result.failed());
        DistrictRollups.Result district = districts.sweep(DISTRICT_BUDGET);
        Observability.count("DistrictHoursWritten", district.written());
        LOG.info("district sweep: {} hours in order, {} marked hours, {} district hours written", district.hours(), district.marked(),
                district.written());
        return new Views.SweepResult(result.raised(), result.failed() + o.failed(), district.hours(), district.marked(), o.resent());
    }
}
