package org.territoire.telemetry.district;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.Concurrently;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.MutableClock;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import org.territoire.shared.json.Json;
import org.territoire.telemetry.TelemetryQueries;
import org.territoire.telemetry.Wiring;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.ingest.IngestService;
import org.territoire.telemetry.rollup.Rollup;
import org.territoire.telemetry.rollup.RollupService;
import org.territoire.telemetry.rollup.Rollups;

/** District hours against the local endpoint: readings shuffled, duplicated and ingested while sweeps run give the figures of the devices' own rollups. */
class DistrictSweepTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    private final Wiring wiring = Wiring.of(LocalAws.shared().dynamoDb(), "TelemetryTable", clock, PaginationKey.load());
    private final IngestService ingest = wiring.ingest((r, o, a, d) -> { });
    private final String district = "d-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void lateReadingsIngestedWhileSweepsRun_giveTheDistrictTheFiguresOfItsDevicesOwnRollups_andADayIsOneQuery() {
        List<Device> meters = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        for (int h = 0; h < 10; h++) {
            Device d = new Device("meter-" + UUID.randomUUID(), DeviceKind.ELECTRICITY_METER, district, null, null, "home-" + h + "-" + district,
                    null, null, clock.instant().minus(Duration.ofDays(30)), "agent");
            assertThat(wiring.devices().create(d)).isTrue();
            wiring.consents().record(d.ownerId(), true, clock.instant()); // households count only by their choice (issue 15)
            meters.add(d);
            double index = 1000 * h;
            for (int minute = 0; minute < 180; minute += 15) {
                index += 0.25 + (minute % 45) / 30.0 + h / 10.0;
                messages.add(message(d, Instant.parse("2026-11-25T08:00:00Z").plusSeconds(minute * 60L), index));
            }
        }
        List<String> messy = new ArrayList<>(messages);
        messy.addAll(messages.subList(5, 25)); // QoS 1 redeliveries
        Collections.shuffle(messy, new java.util.Random(11));
        DistrictRollups sweep = wiring.districtRollups();

        // Every reading is of an hour that ended long ago: each is marked, and four sweeps compute the marks meanwhile.
        var outcomes = Concurrently.run(messy.size() + 4, i -> () -> i < messy.size()
                ? ingest.ingest((ObjectNode) Json.tree(messy.get(i))).stored()
                : sweep.sweep(Duration.ofSeconds(40)).written());
        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
        assertThat(outcomes.subList(0, messy.size()).stream().mapToInt(o -> o.value()).sum()).isEqualTo(messages.size());
        sweep.sweep(Duration.ofSeconds(40));

        var rollups = new RollupService(wiring.readings(), ZoneId.of("Europe/Paris"));
        for (String hour : List.of("2026-11-25T08:00:00Z", "2026-11-25T09:00:00Z", "2026-11-25T10:00:00Z")) {
            Instant h = Instant.parse(hour);
            List<Rollup> own = meters.stream().flatMap(m -> rollups.hours(m, h, h).stream()).toList();
            Rollup expected = Rollups.combine(Rollups.hourKey(h), h, h.plusSeconds(3600), own);
            DistrictHour stored = wiring.districts().hours(district, DeviceKind.ELECTRICITY_METER, h, h).get(0);
            assertThat(stored.figures().readings()).isEqualTo(40);
            assertThat(stored.figures().consumption()).as(hour).isEqualTo(expected.consumption());
            Rollup.Stats got = stored.figures().metrics().get("energy_kwh"), want = expected.metrics().get("energy_kwh");
            assertThat(List.of(got.count(), got.min(), got.max())).isEqualTo(List.of(want.count(), want.min(), want.max()));
            assertThat(got.sum()).as("summed in another order").isCloseTo(want.sum(), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(stored.households()).isEqualTo(10);
        }
        // The read, on a client that counts its calls: one query of the district's hours and one read of the sweep's progress.
        List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        var counting = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder().endpointOverride(LocalAws.shared().url())
                .region(software.amazon.awssdk.regions.Region.of(LocalAws.REGION)).httpClient(org.territoire.shared.ddb.Aws.httpClient())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(c -> c.addExecutionInterceptor(new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                                                software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                        calls.add(context.request().getClass().getSimpleName());
                    }
                })).build();
        Wiring read = Wiring.of(counting, "TelemetryTable", clock, PaginationKey.load());
        var queries = new TelemetryQueries(null, read.devices(), read.readings(), read.alerts(), read.districts(), 10,
                ZoneId.of("Europe/Paris"));
        var day = queries.district(new Caller("x", Set.of(Role.RESIDENT), Optional.empty(), Optional.empty()), district,
                DeviceKind.ELECTRICITY_METER, "2026-11-25");
        double own = meters.stream().mapToDouble(m -> rollups.days(m, LocalDate.parse("2026-11-25"), LocalDate.parse("2026-11-25")).get(0)
                .consumption()).sum();
        assertThat(calls).containsExactlyInAnyOrder("QueryRequest", "GetItemRequest");
        assertThat(day.suppressed()).isFalse();
        assertThat(day.households()).isEqualTo(10);
        assertThat(day.consumption()).isEqualTo(Rollups.combine("x", Instant.EPOCH, Instant.EPOCH,
                List.of(new Rollup("x", Instant.EPOCH, Instant.EPOCH, 0, 0, java.util.Map.of(), own))).consumption());
    }

    private static String message(Device d, Instant at, double index) {
        ObjectNode m = (ObjectNode) Json.tree("{\"at\":\"%s\",\"energy_kwh\":%s}".formatted(at, index));
        m.put("deviceId", d.id()).put("district", d.district()).put("clientId", d.id());
        return Json.write(m);
    }
}
