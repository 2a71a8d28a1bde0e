package org.territoire.telemetry.ngsi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.device.DeviceRepository;
import org.territoire.telemetry.device.DeviceService;
import org.territoire.telemetry.reading.Reading;
import org.territoire.telemetry.reading.ReadingRepository;

/**
 * The NGSI-LD entities the platform publishes: the territory's devices with a Smart Data Model
 * and a reading, never personal ones (a household's meter, a health device), and the parking
 * sites made of the parking sensors that name them.
 */
public final class NgsiService {
    private static final Pattern ID = Pattern.compile("urn:ngsi-ld:([A-Za-z]{1,64}):([A-Za-z0-9._:-]{1,200})");
    private static final Pattern DISTRICT = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final DeviceService deviceService;
    private final DeviceRepository devices;
    private final ReadingRepository readings;

    public NgsiService(DeviceService deviceService, DeviceRepository devices, ReadingRepository readings) {
        this.deviceService = deviceService;
        this.devices = devices;
        this.readings = readings;
    }

    /** One entity by its id ({@code GET /ngsi-ld/v1/entities/{id}}). */
    public NgsiLd.Entity entity(Caller caller, String id) {
        Matcher m = ID.matcher(id);
        if (!m.matches() || NgsiLd.kind(m.group(1)) == null) {
            throw DomainError.notFound("no entity has this id");
        }
        String type = m.group(1);
        if (NgsiLd.SITE_TYPES.contains(type)) {
            String district = type.equals("OnStreetParking") ? m.group(2) : m.group(2).split(":", 2)[0];
            if (!DISTRICT.matcher(district).matches()) {
                throw DomainError.notFound("no entity has this id");
            }
            NgsiLd.Entity site = sites(district).get(id);
            if (site == null) {
                throw DomainError.notFound("no entity has this id");
            }
            return site;
        }
        // Another resident's device is "no such device" there too: a personal device has no entity anyway.
        Device d = deviceService.readable(caller, m.group(2));
        if (!type.equals(NgsiLd.type(d)) || !NgsiLd.publishable(d)) {
            throw DomainError.notFound("no entity has this id");
        }
        return entity(d).orElseThrow(() -> DomainError.notFound("this device has sent no reading yet"));
    }

    /** The legacy {@code /devices/{id}/ngsi-ld}: the device's entity. */
    public NgsiLd.Entity ofDevice(Caller caller, String deviceId) {
        Device d = deviceService.readable(caller, deviceId);
        if (!NgsiLd.publishable(d)) {
            throw DomainError.notFound("this device has no public Smart Data Model entity (a personal device, a kind without "
                    + "a model, or one registered without the location its model requires)");
        }
        return entity(d).orElseThrow(() -> DomainError.notFound("no reading from this device yet"));
    }

    /** The entities of one type the query selects ({@code GET /ngsi-ld/v1/entities}). */
    public List<NgsiLd.Entity> query(String type, NgsiQuery query) {
        DeviceKind kind = NgsiLd.kind(type);
        if (kind == null) {
            throw DomainError.invalid("type", "must be one of " + String.join(", ", NgsiLd.TYPES));
        }
        List<NgsiLd.Entity> candidates = new ArrayList<>();
        if (NgsiLd.SITE_TYPES.contains(type)) {
            sites(query.district()).values().stream().filter(s -> s.type().equals(type)).forEach(candidates::add);
        } else {
            for (Device d : devices.inDistrict(query.district(), kind)) {
                if (NgsiLd.publishable(d)) {
                    entity(d).ifPresent(candidates::add);
                }
            }
        }
        return candidates.stream().filter(query::matches).toList();
    }

    private Optional<NgsiLd.Entity> entity(Device d) {
        return readings.latest(d.id()).map(latest -> {
            Reading previous = d.kind() == DeviceKind.NOISE ? readings.before(d.id(), latest.at()).orElse(null) : null;
            return NgsiLd.entity(d, latest, previous);
        });
    }

    /** The district's parking sites that have a located spot (the site models require a location), by id. */
    private Map<String, NgsiLd.Entity> sites(String district) {
        Map<String, List<NgsiLd.Spot>> spots = new LinkedHashMap<>();
        for (Device sensor : devices.inDistrict(district, DeviceKind.PARKING_SENSOR)) {
            if (!sensor.personal()) {
                spots.computeIfAbsent(NgsiLd.site(sensor), k -> new ArrayList<>())
                        .add(new NgsiLd.Spot(sensor, readings.latest(sensor.id()).orElse(null)));
            }
        }
        Map<String, NgsiLd.Entity> sites = new LinkedHashMap<>();
        spots.forEach((id, members) -> {
            String type = id.substring(NgsiLd.URN.length(), id.indexOf(':', NgsiLd.URN.length()));
            NgsiLd.Entity site = NgsiLd.site(id, type, district, members);
            if (site.point() != null) {
                sites.put(id, site);
            }
        });
        return sites;
    }
}
