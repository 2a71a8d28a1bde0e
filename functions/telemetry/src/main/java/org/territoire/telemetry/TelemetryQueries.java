package org.territoire.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import org.territoire.shared.page.Page;
import org.territoire.telemetry.alert.Alert;
import org.territoire.telemetry.alert.AlertRepository;
import org.territoire.telemetry.device.Consents;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.device.DeviceRepository;
import org.territoire.telemetry.device.DeviceService;
import org.territoire.telemetry.district.DistrictHour;
import org.territoire.telemetry.district.DistrictRepository;
import org.territoire.telemetry.ngsi.NgsiService;
import org.territoire.telemetry.reading.Reading;
import org.territoire.telemetry.reading.ReadingRepository;
import org.territoire.telemetry.rollup.Rollup;
import org.territoire.telemetry.rollup.Rollups;

/**
 * What the query API reads, with privacy by design: a personal device's data only for its
 * owner; district aggregates of household data only over enough households (otherwise the
 * figure is suppressed, not rounded); health data never aggregated.
 */
public final class TelemetryQueries {
    static final Duration MAX_RANGE = Duration.ofDays(31);
    /** How far back any range may reach: beyond, nothing is kept (raw readings a year by default, rollups with them). */
    static final java.time.Period MAX_BACK = java.time.Period.ofYears(5);
    /** How far ahead of now any range may end: readings are never more than minutes ahead. */
    static final Duration MAX_AHEAD = Duration.ofDays(1);

    /**
     * A district's figures for a kind over a day or a month, from the hours the sweep has
     * computed ({@code through}: the end of the last one, or null before its first run).
     */
    public record DistrictAggregate(String district, DeviceKind kind, String period, int devices, Integer households,
                                    boolean suppressed, String reason, Double consumption, Map<String, Map<String, Double>> metrics,
                                    Instant through) {
    }

    private final DeviceService deviceService;
    private final DeviceRepository devices;
    private final ReadingRepository readings;
    private final AlertRepository alerts;
    private final DistrictRepository districts;
    private final int householdThreshold;
    private final ZoneId zone;
    /** Days and months, derived from the stored hours. */
    private final org.territoire.telemetry.rollup.RollupService rollups;
    private final NgsiService ngsi;

    /** Days and months of the territory's zone, {@code TERRITORY_TIME_ZONE}. */
    public TelemetryQueries(DeviceService deviceService, DeviceRepository devices, ReadingRepository readings, AlertRepository alerts,
                            DistrictRepository districts, int householdThreshold) {
        this(deviceService, devices, readings, alerts, districts, householdThreshold, Rollups.territoryZone());
    }

    public TelemetryQueries(DeviceService deviceService, DeviceRepository devices, ReadingRepository readings, AlertRepository alerts,
                            DistrictRepository districts, int householdThreshold, ZoneId zone) {
        this.districts = districts;
        this.zone = Rollups.wholeHours(zone);
        this.rollups = new org.territoire.telemetry.rollup.RollupService(readings, this.zone);
        this.deviceService = deviceService;
        this.devices = devices;
        this.readings = readings;
        this.alerts = alerts;
        this.householdThreshold = householdThreshold;
        this.ngsi = new NgsiService(deviceService, devices, readings);
    }

    public Reading latest(Caller caller, String deviceId) {
        Device d = deviceService.readable(caller, deviceId);
        return readings.latest(d.id()).orElseThrow(() -> DomainError.notFound("no reading from this device yet"));
    }

    /** Raw readings of a range of at most 31 days (the last day by default), a page at a time. */
    public Page<Reading> readings(Caller caller, String deviceId, Optional<String> from, Optional<String> to, int limit,
                                  Optional<String> token, Instant now) {
        Device d = deviceService.readable(caller, deviceId);
        Instant end = to.map(t -> instant("to", t, now)).orElse(now);
        Instant start = from.map(f -> instant("from", f, now)).orElse(end.minus(Duration.ofDays(1)));
        range(start, end);
        return readings.page(d.id(), start, end, limit, token);
    }

    /** Rollups by {@code hour} (UTC hours, {@code from}/{@code to} instants), {@code day} or {@code month} (dates of the territory's zone). */
    public List<Rollup> rollups(Caller caller, String deviceId, String period, Optional<String> from, Optional<String> to, Instant now) {
        Device d = deviceService.readable(caller, deviceId);
        return switch (period) {
            case "hour" -> {
                Instant end = to.map(t -> instant("to", t, now)).orElse(now);
                Instant start = from.map(f -> instant("from", f, now)).orElse(end.minus(Duration.ofDays(1)));
                range(start, end);
                yield rollups.hours(d, Rollups.hourOf(start), Rollups.hourOf(end.minusMillis(1)));
            }
            case "day" -> {
                LocalDate today = Rollups.dayOf(now, zone);
                LocalDate end = to.map(t -> within("to", date("to", t), today)).orElse(today);
                LocalDate start = from.map(f -> within("from", date("from", f), today)).orElse(end.minusDays(30));
                if (start.isAfter(end) || start.plusDays(366).isBefore(end)) {
                    throw DomainError.invalid("from", "must be before to, at most a year before");
                }
                yield rollups.days(d, start, end);
            }
            case "month" -> {
                LocalDate today = Rollups.dayOf(now, zone);
                YearMonth end = to.map(t -> within("to", month("to", t), today)).orElse(YearMonth.from(today));
                YearMonth start = from.map(f -> within("from", month("from", f), today)).orElse(end.minusMonths(11));
                if (start.isAfter(end)) {
                    throw DomainError.invalid("from", "must be before to");
                }
                yield rollups.months(d, start, end);
            }
            default -> throw DomainError.invalid("period", "must be hour, day or month");
        };
    }

    /**
     * A district's figures for a day ({@code 2026-11-25}) or a month ({@code 2026-11}) of the
     * territory's zone: one query of the district hours the sweep made (see
     * {@link org.territoire.telemetry.district.DistrictRollups}), combined. Public statistics (the
     * route is open to anyone signed in), so household data is withheld under the threshold,
     * applied to the most households that contributed to any one hour of the period: never more
     * than contributed over the whole period, so a figure is never shown that counting them
     * over the period would withhold.
     */
    public DistrictAggregate district(Caller caller, String district, DeviceKind kind, String period) {
        if (!district.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw DomainError.notFound("no such district");
        }
        if (kind.health()) {
            throw DomainError.forbidden("health data is never aggregated");
        }
        YearMonth monthPeriod = period.length() == 7 ? month("period", period) : null;
        LocalDate dayPeriod = monthPeriod == null ? date("period", period) : null;
        String key = monthPeriod != null ? Rollups.monthKey(monthPeriod) : Rollups.dayKey(dayPeriod);
        Instant start = monthPeriod != null ? Rollups.startOf(monthPeriod, zone) : Rollups.startOf(dayPeriod, zone);
        Instant end = monthPeriod != null ? Rollups.startOf(monthPeriod.plusMonths(1), zone) : Rollups.startOf(dayPeriod.plusDays(1), zone);
        List<DistrictHour> hours = districts.hours(district, kind, start, end.minus(Duration.ofHours(1)));
        Instant through = districts.sweptThrough().map(h -> h.plus(Duration.ofHours(1))).map(h -> h.isAfter(end) ? end : h).orElse(null);
        int contributing = hours.stream().mapToInt(DistrictHour::devices).max().orElse(0);
        int households = hours.stream().mapToInt(DistrictHour::households).max().orElse(0);
        boolean householdData = kind.household() && households > 0;
        if (householdData && households < householdThreshold) {
            return new DistrictAggregate(district, kind, period, contributing, null, true,
                    "fewer than " + householdThreshold + " households contribute; the figure is withheld to protect them", null, Map.of(), through);
        }
        Rollup total = Rollups.combine(key, start, end, hours.stream().map(DistrictHour::figures).toList());
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        if (!kind.cumulative()) {
            total.metrics().forEach((field, st) -> metrics.put(field, Map.of("average", round(st.average()), "min", st.min(), "max", st.max())));
        }
        return new DistrictAggregate(district, kind, period, contributing, householdData ? households : null, false, null,
                total.consumption(), metrics, through);
    }

    /** The NGSI-LD entities (Smart Data Models) of the territory's public devices. */
    public NgsiService ngsi() {
        return ngsi;
    }

    /** The caller's alerts: their own devices' for residents; the territory's devices' for agents. */
    public List<Alert> alerts(Caller caller, boolean activeOnly) {
        List<Alert> visible = new ArrayList<>(alerts.visibleTo(caller.id(), 200));
        if (caller.hasAny(Role.AGENT, Role.ADMIN)) {
            visible.addAll(alerts.visibleTo(null, 200));
        }
        return visible.stream().filter(a -> !activeOnly || a.active()).toList();
    }

    // ---------------------------------------------------------------- consent to district aggregates (issue 15)

    /** Who has chosen to count; every household until {@link #honouring} names the store (tests that predate the choice). */
    private Consents consents = Consents.EVERYONE;

    /** Aggregates count a household's devices only if its owner chose so ({@code PUT /me/telemetry/consent}). */
    public TelemetryQueries honouring(Consents consents) {
        this.consents = consents;
        return this;
    }


    public record ConsentView(boolean shareInDistrictAggregates, Instant at) {
    }

    public record ConsentChoice(Boolean shareInDistrictAggregates) {
    }

    /** The caller's choice; never made reads as not sharing, with no time. */
    public ConsentView consent(Caller caller) {
        return consents.find(caller.id()).map(c -> new ConsentView(c.shareInDistrictAggregates(), c.at()))
                .orElse(new ConsentView(false, null));
    }

    public ConsentView choose(Caller caller, ConsentChoice choice, Instant now) {
        if (choice == null || choice.shareInDistrictAggregates() == null) {
            throw DomainError.invalid("shareInDistrictAggregates", "is required: true to count in district aggregates, false not to");
        }
        consents.record(caller.id(), choice.shareInDistrictAggregates(), now);
        return new ConsentView(choice.shareInDistrictAggregates(), now);
    }

    /**
     * Everything stored about the caller's devices, as JSON, the right of access and
     * portability: the devices, then their readings, rollups and alerts as records, a page at
     * a time (follow {@code nextToken} to the end).
     */
    public Views.Export export(Caller caller, int limit, Optional<String> token) {
        List<Device> owned = devices.ofOwner(caller.id()).stream().sorted(java.util.Comparator.comparing(Device::id)).toList();
        Page<Map<String, Object>> page = readings.export(owned.stream().map(Device::id).toList(), limit, token);
        return new Views.Export(caller.id(), token.isEmpty() ? owned : null, page.items(), page.nextToken());
    }

    /** Erases every reading, rollup and alert of the caller's devices; returns how many items went. */
    public int erase(Caller caller) {
        int erased = 0;
        for (Device d : devices.ofOwner(caller.id())) {
            erased += readings.erase(d.id());
        }
        return erased;
    }

    private static void range(Instant start, Instant end) {
        if (!start.isBefore(end)) {
            throw DomainError.invalid("to", "must be after from");
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw DomainError.invalid("from", "the range is at most 31 days; use day or month rollups beyond");
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /**
     * An instant of a range, within the window anything is kept for: at most {@link #MAX_BACK}
     * back and {@link #MAX_AHEAD} ahead. Checked with comparisons only, before any arithmetic,
     * so that the ends of Instant's range are a 400 naming the field, not an overflow.
     */
    private static Instant instant(String name, String raw, Instant now) {
        Instant at;
        try {
            at = Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw DomainError.invalid(name, "must be an ISO-8601 UTC time such as 2026-11-25T10:00:00Z");
        }
        Instant earliest = now.atZone(ZoneOffset.UTC).minus(MAX_BACK).toInstant();
        if (at.isBefore(earliest) || at.isAfter(now.plus(MAX_AHEAD))) {
            throw DomainError.invalid(name, outOfWindow());
        }
        return at;
    }

    private static LocalDate within(String name, LocalDate day, LocalDate today) {
        if (day.isBefore(today.minus(MAX_BACK)) || day.isAfter(today.plusDays(1))) {
            throw DomainError.invalid(name, outOfWindow());
        }
        return day;
    }

    private static YearMonth within(String name, YearMonth month, LocalDate today) {
        YearMonth current = YearMonth.from(today);
        if (month.isBefore(current.minus(MAX_BACK)) || month.isAfter(current)) {
            throw DomainError.invalid(name, outOfWindow());
        }
        return month;
    }

    private static String outOfWindow() {
        return "must be within the last " + MAX_BACK.getYears() + " years and not after tomorrow";
    }

    private static LocalDate date(String name, String raw) {
        try {
            return LocalDate.parse(raw);
        } catch (DateTimeParseException e) {
            throw DomainError.invalid(name, "must be a date such as 2026-11-25");
        }
    }

    private static YearMonth month(String name, String raw) {
        try {
            return YearMonth.parse(raw);
        } catch (DateTimeParseException e) {
            throw DomainError.invalid(name, "must be a month such as 2026-11");
        }
    }
}
