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
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.device.DeviceService;
import org.territoire.telemetry.device.ThingProvisioner;
import org.territoire.telemetry.ingest.IngestService;
import org.territoire.telemetry.ingest.OccupancyEvents;
import org.territoire.telemetry.store.DynamoTelemetryStore;
import org.territoire.telemetry.store.EventBridgeOccupancyEvents;
import org.territoire.telemetry.store.IotThingProvisioner;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.iot.IotClient;

/**
 * The telemetry functions' parts, built once per function from its environment. Each
 * function builds only the clients it uses: the ingest function an EventBridge client, the
 * API an IoT client.
 */
record Wiring(DynamoDbClient dynamo, String table, DynamoTelemetryStore store, Clock clock) {
    static final String TABLE_VARIABLE = "TELEMETRY_TABLE";

    static Wiring fromEnvironment() {
        return of(Aws.dynamoDb(), Env.require(TABLE_VARIABLE), Clock.systemUTC(), PaginationKey.load());
    }

    static Wiring of(DynamoDbClient dynamo, String table, Clock clock, PageTokens tokens) {
        return new Wiring(dynamo, table, new DynamoTelemetryStore(dynamo, table, tokens), clock);
    }

    IngestService ingest() {
        EventBridgeClient bus = Aws.configure(EventBridgeClient.builder(), "EVENTBRIDGE").httpClient(Aws.httpClient()).build();
        return ingest(new EventBridgeOccupancyEvents(bus, Env.require("EVENT_BUS_NAME")));
    }

    IngestService ingest(OccupancyEvents occupancy) {
        return new IngestService(store, store, new AlertEvaluator(store, store), occupancy, retention(), clock);
    }

    DeviceService devices() {
        IotClient iot = Aws.configure(IotClient.builder(), "IOT").httpClient(Aws.httpClient()).build();
        return devices(new IotThingProvisioner(iot, Env.require("DEVICE_POLICY_NAME")));
    }

    DeviceService devices(ThingProvisioner things) {
        return new DeviceService(store, things, clock);
    }

    TelemetryQueries queries(DeviceService devices) {
        return new TelemetryQueries(devices, store, store, store, Integer.parseInt(Env.getOrDefault("HOUSEHOLD_THRESHOLD", "10")),
                org.territoire.telemetry.rollup.Rollups.territoryZone());
    }

    /** On the same client and table as the store: one DynamoDB client per function. */
    IdempotencyStore idempotency() {
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
}
