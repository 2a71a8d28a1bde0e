package org.territoire.telemetry.district;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.territoire.telemetry.device.Consents;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.device.DeviceRepository;
import org.territoire.telemetry.rollup.Rollup;
import org.territoire.telemetry.rollup.RollupService;
import org.territoire.telemetry.rollup.Rollups;

/**
 * District figures materialised per district, kind and UTC hour, so that a district's day or
 * month is one query rather than one query per device.
 *
 * <p>The sweep computes an hour once it has <b>settled</b>: {@link #SETTLE} after its end, by
 * when the readings of devices that send on the hour have arrived. Each device's hour is
 * derived from its stored readings (one query, the same arithmetic as its own rollups), so the
 * district hour does not depend on which device hours are closed yet. A reading that arrives
 * later for a settled hour (a device catching up after an outage, a late delivery) is stored
 * by ingestion with a <b>mark</b> of its district hour, and the sweep computes marked hours
 * again. Ingestion marks every reading of an hour that ended {@link #MARK_AFTER} before it
 * checks; between that and {@link #SETTLE} there is more than the ingest function's timeout
 * (15 s in template.yaml), so a reading either is stored before the sweep computes its hour, or
 * was marked. Each district hour is written under {@code basis <= :basis}: two sweeps computing
 * one hour concurrently leave the one that saw more readings.
 */
public final class DistrictRollups {
    /** How long after an hour's end the sweep computes it. */
    public static final Duration SETTLE = Duration.ofMinutes(15);
    /** Readings of an hour that ended this long before ingestion are marked for the sweep. */
    public static final Duration MARK_AFTER = Duration.ofMinutes(10);
    /** At most this many hours in order per run (a first run, or one after an outage, catches up over several runs). */
    static final int HOURS_PER_RUN = 24;
    static final int MARKS_PER_RUN = 500;
    /** Device hours read at once: each is one query. */
    static final int PARALLEL_READS = 16;

    private final DeviceRepository devices;
    private final DistrictRepository districts;
    private final RollupService rollups;
    private final Clock clock;

    public DistrictRollups(DeviceRepository devices, DistrictRepository districts, RollupService rollups, Clock clock) {
        this.devices = devices;
        this.districts = districts;
        this.rollups = rollups;
        this.clock = clock;
    }

    /** Health devices are never aggregated (decisions.md), so their hours are never materialised. */
    static boolean aggregated(DeviceKind kind) {
        return !kind.health();
    }

    /** Ingestion stored readings in these hours of the device (or changed their figures, a meter's next hour): marks those that have settled. */
    public void touched(Device device, Collection<Instant> hours, Instant now) {
        if (!aggregated(device.kind())) {
            return;
        }
        for (Instant hour : new TreeSet<>(hours)) {
            if (!hour.plus(1, ChronoUnit.HOURS).isAfter(now.minus(MARK_AFTER))) {
                districts.mark(device.district(), device.kind(), hour, now);
            }
        }
    }

    /** Who has chosen to count; every household until {@link #honouring} names the store (tests that predate the choice). */
    private Consents consents = Consents.EVERYONE;

    /**
     * District hours count a household's devices only while its owner's current choice is to share,
     * as the sweep computes each hour: a choice made or revoked applies to the hours computed after it
     * (hours already computed keep their figures, as for an erased household; docs/decisions.md).
     */
    public DistrictRollups honouring(Consents consents) {
        this.consents = consents;
        return this;
    }

    /** A device with an owner counts only while its owner shares; devices without one (public sensors) always count. */
    static List<Device> sharing(List<Device> inDistrict, Consents consents) {
        Set<String> owners = new HashSet<>();
        inDistrict.forEach(d -> {
            if (d.ownerId() != null) {
                owners.add(d.ownerId());
            }
        });
        Set<String> sharing = owners.isEmpty() ? Set.of() : consents.sharing(owners);
        return inDistrict.stream().filter(d -> d.ownerId() == null || sharing.contains(d.ownerId())).toList();
    }

    /** What a run did. */
    public record Result(int hours, int marked, int written) {
    }

    /** Computes the settled hours not computed yet, in order, then the marked ones, within {@code budget}. */
    public Result sweep(Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        Instant now = clock.instant();
        Instant last = Rollups.hourOf(now.minus(SETTLE)).minus(1, ChronoUnit.HOURS);
        Optional<Instant> through = districts.sweptThrough();
        int hours = 0;
        int written = 0;
        Map<String, List<Device>> groups = null;
        for (Instant hour = through.map(h -> h.plus(1, ChronoUnit.HOURS)).orElse(last); !hour.isAfter(last) && hours < HOURS_PER_RUN
                && System.nanoTime() < deadline; hour = hour.plus(1, ChronoUnit.HOURS)) {
            if (groups == null) {
                groups = groups(devices.all());
            }
            for (List<Device> group : groups.values()) {
                written += compute(group.get(0).district(), group.get(0).kind(), group, hour) ? 1 : 0;
            }
            districts.sweptThrough(hour);
            hours++;
        }
        int marked = 0;
        for (DistrictRepository.Mark mark : districts.marks(MARKS_PER_RUN)) {
            if (System.nanoTime() >= deadline) {
                break;
            }
            written += compute(mark.district(), mark.kind(), mark.hour()) ? 1 : 0;
            districts.unmark(mark);
            marked++;
        }
        return new Result(hours, marked, written);
    }

    /** The devices of each aggregated district and kind. */
    private static Map<String, List<Device>> groups(List<Device> all) {
        Map<String, List<Device>> groups = new LinkedHashMap<>();
        for (Device d : all) {
            if (aggregated(d.kind())) {
                groups.computeIfAbsent(d.district() + "#" + d.kind(), k -> new ArrayList<>()).add(d);
            }
        }
        return groups;
    }

    /** One district hour from its devices' readings (a mark's, or an operator's backfill); true when written (some device contributed). */
    public boolean compute(String district, DeviceKind kind, Instant hour) {
        return aggregated(kind) && compute(district, kind, devices.inDistrict(district, kind), hour);
    }

    private boolean compute(String district, DeviceKind kind, List<Device> all, Instant hour) {
        // Only the households whose owner chose to count (PUT /me/telemetry/consent, issue 15); public sensors always count.
        List<Device> inDistrict = sharing(all, consents);
        List<Rollup> parts = new ArrayList<>();
        Set<String> households = new HashSet<>();
        List<Optional<Rollup>> derived = derive(inDistrict, hour);
        for (int i = 0; i < inDistrict.size(); i++) {
            if (derived.get(i).isPresent()) {
                parts.add(derived.get(i).get());
                if (inDistrict.get(i).ownerId() != null) {
                    households.add(inDistrict.get(i).ownerId());
                }
            }
        }
        if (parts.isEmpty()) {
            return false;
        }
        Rollup figures = Rollups.combine(Rollups.hourKey(hour), hour, hour.plus(1, ChronoUnit.HOURS), parts);
        districts.put(new DistrictHour(district, kind, figures, parts.size(), households.size()));
        return true;
    }

    /** Each device's hour, read a few at a time (one query each). */
    private List<Optional<Rollup>> derive(List<Device> inDistrict, Instant hour) {
        if (inDistrict.size() <= 1) {
            return inDistrict.stream().map(d -> rollups.derive(d, hour)).toList();
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_READS, inDistrict.size()))) {
            List<Future<Optional<Rollup>>> futures = inDistrict.stream().map(d -> pool.submit(() -> rollups.derive(d, hour))).toList();
            List<Optional<Rollup>> out = new ArrayList<>();
            for (Future<Optional<Rollup>> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading device hours", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
