package org.territoire.telemetry;

import java.time.Clock;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.http.Access;
import org.territoire.shared.http.ApiHandler;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.HttpApiEvent;
import org.territoire.shared.identity.Role;
import org.territoire.shared.http.Router;
import org.territoire.shared.idempotency.IdempotencyStore;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.device.DeviceService;
import org.territoire.telemetry.ngsi.NgsiLd;
import org.territoire.telemetry.ngsi.NgsiQuery;

/**
 * The telemetry query API: device registration, latest values, readings, rollups, district
 * aggregates, alerts, NGSI-LD entities, and a resident's export and erasure of their data.
 */
public final class TelemetryApiHandler extends ApiHandler implements Resource {
    private final DeviceService devices;
    private final TelemetryQueries queries;
    private final Clock clock;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public TelemetryApiHandler() {
        this(Wiring.fromEnvironment());
        Core.getGlobalContext().register(this);
    }

    private TelemetryApiHandler(Wiring wiring) {
        this(wiring, wiring.deviceService());
    }

    private TelemetryApiHandler(Wiring wiring, DeviceService devices) {
        this(devices, wiring.queries(devices), wiring.clock(), wiring.idempotency());
    }

    /** For tests. */
    public TelemetryApiHandler(DeviceService devices, TelemetryQueries queries, Clock clock, IdempotencyStore idempotency) {
        super(new Router(), idempotency);
        this.devices = devices;
        this.queries = queries;
        this.clock = clock;
        router().post("/devices", Access.roles(Role.AGENT, Role.ADMIN), r -> {
                    var registered = devices.register(r.caller(), r.body(DeviceService.NewDevice.class));
                    // The private key (when AWS made the key pair) is shown once; a replay leaves it out.
                    return ApiResponse.createdWithSecret(registered, "/devices/" + registered.device().id(), "privateKey");
                })
                .get("/devices", Access.roles(Role.AGENT, Role.ADMIN), r -> ApiResponse.ok(devices.territory(r.caller(), r.query("district"),
                        r.enumQuery("kind", DeviceKind.class), r.intQuery("limit", 50, 1, 100), r.query("nextToken"))))
                .get("/devices/mine", r -> ApiResponse.ok(new Views.Items<>(devices.mine(r.caller()))))
                .get("/devices/{deviceId}", Access.SIGNED_IN, r -> ApiResponse.ok(devices.readable(r.caller(), r.path("deviceId"))))
                .get("/devices/{deviceId}/latest", Access.SIGNED_IN, r -> ApiResponse.ok(queries.latest(r.caller(), r.path("deviceId"))))
                .get("/devices/{deviceId}/readings", Access.SIGNED_IN, r -> ApiResponse.ok(queries.readings(r.caller(), r.path("deviceId"),
                        r.query("from"), r.query("to"), r.intQuery("limit", 1000, 1, 5000), r.query("nextToken"), clock.instant())))
                .get("/devices/{deviceId}/rollups", Access.SIGNED_IN, r -> ApiResponse.ok(new Views.Items<>(queries.rollups(r.caller(), r.path("deviceId"),
                        r.query("period").orElse("hour"), r.query("from"), r.query("to"), clock.instant()))))
                .get("/devices/{deviceId}/ngsi-ld", Access.SIGNED_IN, r -> ApiResponse.json(200,
                                NgsiLd.normalized(queries.ngsi().ofDevice(r.caller(), r.path("deviceId")), true, NgsiLdHandler.contextUrl(r)))
                        .withHeader("content-type", NgsiLdHandler.LD_JSON))
                .get("/ngsi-ld/v1/entities", Access.SIGNED_IN, r -> NgsiLdHandler.answer(r, queries.ngsi().query(
                        r.query("type").orElseThrow(() -> DomainError.invalid("type", "is required")),
                        NgsiQuery.parse(r.query("q").orElse(null), r.query("georel"), r.query("geometry"), r.query("coordinates"))), false))
                .get("/ngsi-ld/v1/entities/{entityId}", Access.SIGNED_IN, r -> NgsiLdHandler.answer(r,
                        java.util.List.of(queries.ngsi().entity(r.caller(), r.path("entityId"))), true))
                // A JSON-LD context is vocabulary, not data: processors fetch it without a token.
                .get(NgsiLd.CONTEXT_PATH, Access.ANYONE, r -> NgsiLdHandler.context())
                .get("/districts/{district}/aggregates", Access.SIGNED_IN, r -> ApiResponse.ok(queries.district(r.caller(), r.path("district"),
                        r.enumQuery("kind", DeviceKind.class).orElseThrow(() -> DomainError.invalid("kind", "is required")),
                        r.query("period").orElseThrow(() -> DomainError.invalid("period",
                                "is required: a day (2026-11-25) or a month (2026-11)")))))
                .get("/alerts", r -> ApiResponse.ok(new Views.Items<>(queries.alerts(r.caller(),
                        r.query("active").map(Boolean::parseBoolean).orElse(false)))))
                .get("/me/telemetry", r -> ApiResponse.ok(queries.export(r.caller(), r.intQuery("limit", 2000, 1, 5000), r.query("nextToken"))))
                .delete("/me/telemetry", Access.MEMBERS, r -> ApiResponse.ok(new Views.Erased(queries.erase(r.caller()))))
                .get("/me/telemetry/consent", Access.MEMBERS, r -> ApiResponse.ok(queries.consent(r.caller())))
                .put("/me/telemetry/consent", Access.MEMBERS, r -> ApiResponse.ok(queries.choose(r.caller(),
                        r.body(TelemetryQueries.ConsentChoice.class), clock.instant())));
    }

    /** Under {@code /ngsi-ld/}, problems carry NGSI-LD's error types (ETSI GS CIM 009, clause 5.5.2). */
    @Override
    public ApiResponse handle(HttpApiEvent event) {
        ApiResponse response = super.handle(event);
        return event.path().startsWith("/ngsi-ld/") ? NgsiLdHandler.errors(response) : response;
    }

    /** SnapStart: serve the real path of a request, read-only, before the snapshot is taken (see Priming). */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        Priming.prime(this);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: clients re-open their connections on first use.
    }
}
