package org.territoire.telemetry;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.idempotency.DynamoIdempotencyStore;
import org.territoire.shared.idempotency.IdempotencyStore;
import org.territoire.shared.page.PageTokens;
import org.territoire.telemetry.alert.AlertEvaluator;
import org.territoire.telemetry.alert.AlertRepository;
import org.territoire.telemetry.alert.OfflineSweep;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.device.DeviceRepository;
import org.territoire.telemetry.device.DeviceService;
import org.territoire.telemetry.district.DistrictRepository;
import org.territoire.telemetry.district.DistrictRollups;
import org.territoire.telemetry.device.ThingProvisioner;
import org.territoire.telemetry.ingest.IngestService;
import org.territoire.telemetry.ingest.OccupancyEvents;
import org.territoire.telemetry.reading.ReadingRepository;
import org.territoire.telemetry.rollup.RollupService;
import org.territoire.telemetry.rollup.Rollups;
import org.territoire.telemetry.store.DynamoAlerts;
import org.territoire.telemetry.store.DynamoDevices;
import org.territoire.telemetry.store.DynamoDistricts;
import org.territoire.telemetry.store.DynamoReadings;
import org.territoire.telemetry.store.EventBridgeOccupancyEvents;
import org.territoire.telemetry.store.IotThingProvisioner;
import org.territoire.telemetry.store.TelemetryTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.iot.IotClient;

/**
 * The telemetry functions' parts, built once per function from its environment: one DynamoDB
 * client and the repositories over the one table layout. Each function builds only the other
 * clients it uses: the ingest function an EventBridge client, the API an IoT client.
 */
public final class Wiring {
    static final String TABLE_VARIABLE = "TELEMETRY_TABLE";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final DeviceRepository devices;
    private final ReadingRepository readings;
    private final AlertRepository alerts;
    private final DistrictRepository districts;
    private final TelemetryTable layout;

    private Wiring(DynamoDbClient dynamo, String table, Clock clock, PageTokens tokens) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.layout = new TelemetryTable(dynamo, table, tokens);
        this.devices = new DynamoDevices(layout);
        this.readings = new DynamoReadings(layout);
        this.alerts = new DynamoAlerts(layout);
        this.districts = new DynamoDistricts(layout);
    }

    static Wiring fromEnvironment() {
        return of(Aws.dynamoDb(), Env.require(TABLE_VARIABLE), Clock.systemUTC(), PaginationKey.load());
    }

    public static Wiring of(DynamoDbClient dynamo, String table, Clock clock, PageTokens tokens) {
        return new Wiring(dynamo, table, clock, tokens);
    }

    public Clock clock() {
        return clock;
    }

    public DeviceRepository devices() {
        return devices;
    }

    public ReadingRepository readings() {
        return readings;
    }

    public AlertRepository alerts() {
        return alerts;
    }

    public DistrictRepository districts() {
        return districts;
    }

    /** District hours made by the sweep from the devices' readings. */
    public DistrictRollups districtRollups() {
        return new DistrictRollups(devices, districts, new RollupService(readings), clock).honouring(consents());
    }

    public IngestService ingest() {
        // One client for both, built on the first event (most messages publish none).
        var bus = org.territoire.shared.events.EventBridgeDomainEvents.lazyClient();
        return ingest(new EventBridgeOccupancyEvents(bus, Env.require("EVENT_BUS_NAME")), alertEvents(bus));
    }

    public IngestService ingest(OccupancyEvents occupancy) {
        return ingest(occupancy, org.territoire.shared.events.DomainEvents.NONE);
    }

    IngestService ingest(OccupancyEvents occupancy, org.territoire.shared.events.DomainEvents alertEvents) {
        return new IngestService(devices, readings, districts, new AlertEvaluator(readings, alerts).publishingTo(alertEvents), occupancy,
                retention(), clock);
    }

    /**
     * Alert Raised / Alert Cleared for the notifications capability (territoire.telemetry), after each committed write; what
     * the bus refuses waits in the table's outbox for the sweep (docs/decisions.md, "Domain events after the write").
     */
    org.territoire.shared.events.DomainEvents alertEvents(java.util.function.Supplier<EventBridgeClient> bus) {
        return new org.territoire.shared.events.AfterCommit(bus(bus), outbox(), clock);
    }

    /** The bus itself, whose refusals throw: for the sweep, which publishes the outbox's events again. */
    static org.territoire.shared.events.DomainEvents bus(java.util.function.Supplier<EventBridgeClient> bus) {
        return new org.territoire.shared.events.EventBridgeDomainEvents(bus, Env.require("EVENT_BUS_NAME"), "territoire.telemetry");
    }

    /** The events the bus refused, kept in this capability's table (its OUTBOX partition). */
    public org.territoire.shared.events.Outbox outbox() {
        return new org.territoire.shared.events.DynamoOutbox(dynamo, table);
    }

    public DeviceService deviceService() {
        // Built on the first registration, not at init (the telemetry API's other routes never call IoT).
        return deviceService(IotThingProvisioner.lazy(() -> Aws.configure(IotClient.builder(), "IOT").httpClient(Aws.httpClient()).build(),
                Env.require("DEVICE_POLICY_NAME")));
    }

    public DeviceService deviceService(ThingProvisioner things) {
        return new DeviceService(devices, things, clock);
    }

    public TelemetryQueries queries(DeviceService deviceService) {
        return new TelemetryQueries(deviceService, devices, readings, alerts, districts, Integer.parseInt(Env.getOrDefault("HOUSEHOLD_THRESHOLD", "10")),
                Rollups.territoryZone()).honouring(consents());
    }

    /** Devices not heard from for longer than {@code OFFLINE_AFTER_MINUTES} (60 by default). */
    public OfflineSweep sweep() {
        // Built on the first alert: a sweep that finds no device newly offline publishes nothing.
        var bus = org.territoire.shared.events.EventBridgeDomainEvents.lazyClient();
        return new OfflineSweep(devices, readings, new AlertEvaluator(readings, alerts).publishingTo(alertEvents(bus)),
                Duration.ofMinutes(Long.parseLong(Env.getOrDefault("OFFLINE_AFTER_MINUTES", "60"))), clock);
    }

    public OfflineSweep sweep(Duration offlineAfter) {
        return new OfflineSweep(devices, readings, new AlertEvaluator(readings, alerts), offlineAfter, clock);
    }

    public org.territoire.telemetry.device.Consents consents() {
        return new org.territoire.telemetry.store.DynamoConsents(layout);
    }

    /** What the telemetry capability holds about a person, for the accounts capability's events. */
    public org.territoire.shared.accounts.PersonalData personalData() {
        // Built on the first retirement: an erasure of a person without devices calls no IoT.
        var iot = org.territoire.shared.ddb.LazyClient.of(() -> Aws.configure(IotClient.builder(), "IOT").httpClient(Aws.httpClient()).build());
        return personalData(new org.territoire.telemetry.store.IotThingRetirer(iot, Env.require("DEVICE_POLICY_NAME")));
    }

    public org.territoire.shared.accounts.PersonalData personalData(org.territoire.telemetry.device.ThingRetirer things) {
        return new org.territoire.telemetry.store.DynamoTelemetryPersonalData(layout, readings, consents(), things);
    }

    /** On the same client and table as the repositories: one DynamoDB client per function. */
    public IdempotencyStore idempotency() {
        return new DynamoIdempotencyStore(dynamo, table, clock);
    }

    /** Raw retention per kind: {@code RETENTION_DAYS} for all, or {@code RETENTION_DAYS_<KIND>}; a year by default. */
    static Map<DeviceKind, Duration> retention() {
        Map<DeviceKind, Duration> retention = new EnumMap<>(DeviceKind.class);
        for (DeviceKind kind : DeviceKind.values()) {
            String days = Env.get("RETENTION_DAYS_" + kind).or(() -> Env.get("RETENTION_DAYS")).orElse(null);
            retention.put(kind, days == null ? kind.defaultRetention() : Duration.ofDays(Long.parseLong(days)));
        }
        return retention;
    }

    /** SnapStart priming's read for a function whose every read leads to an effect: a GetItem of no item, on this client. */
    org.territoire.shared.observability.EventPriming.Step absentRead() {
        return event -> org.territoire.shared.observability.EventPriming.getAbsent(dynamo, table);
    }
}
