package org.territoire.telemetry.ngsi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.reading.Reading;

/**
 * Devices' latest readings as FIWARE Smart Data Model entities (https://smartdatamodels.org),
 * in NGSI-LD (ETSI GS CIM 009): AirQualityObserved, NoiseLevelObserved, ParkingSpot and the
 * parking site it belongs to (OffStreetParking, OnStreetParking), WaterConsumptionObserved,
 * ThreePhaseAcMeasurement for electricity meters, PhotovoltaicMeasurement for solar
 * production. Each attribute follows its model's schema.json in type and unit (UN/CEFACT
 * codes), and every term maps to its model's IRI in the context the platform serves
 * ({@link #context()}), so that nothing falls back to NGSI-LD's default vocabulary.
 *
 * <p>Heat meters publish no entity: Smart Data Models has no heat-meter model (dataModel.Energy
 * has AC, three-phase AC and solar models, all electrical), and a heat meter published as a
 * three-phase AC measurement would tell consumers its kilowatt-hours are electricity.
 */
public final class NgsiLd {
    /** The NGSI-LD core context the entities name, the version vendored in the tests. */
    public static final String CORE_CONTEXT = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.7.jsonld";
    /** Where the platform serves its own context (NGSI-LD's @context serving API, clause 5.13). */
    public static final String CONTEXT_PATH = "/ngsi-ld/v1/jsonldContexts/territoire";
    public static final String URN = "urn:ngsi-ld:";

    private static final String SDM = "https://smartdatamodels.org/";

    /**
     * Every term an entity uses, with its Smart Data Models IRI as the model's own domain context
     * (dataModel.*&#47;context.jsonld) defines it. No term is used by two models of different
     * domains with different IRIs, so one flat context serves them all (a test holds this).
     */
    private static final Map<String, String> TERMS = terms(
            // Types.
            "AirQualityObserved", SDM + "dataModel.Environment/AirQualityObserved",
            "NoiseLevelObserved", SDM + "dataModel.Environment/NoiseLevelObserved",
            "ParkingSpot", SDM + "dataModel.Parking/ParkingSpot",
            "OffStreetParking", SDM + "dataModel.Parking/OffStreetParking",
            "OnStreetParking", SDM + "dataModel.Parking/OnStreetParking",
            "WaterConsumptionObserved", SDM + "dataModel.WaterConsumption/WaterConsumptionObserved",
            "ThreePhaseAcMeasurement", SDM + "dataModel.Energy/ThreePhaseAcMeasurement",
            "PhotovoltaicMeasurement", SDM + "dataModel.GreenEnergy/PhotovoltaicMeasurement",
            // Common to every model (the same IRI in each domain's context).
            "areaServed", SDM + "areaServed",
            "dateObserved", SDM + "dateObserved",
            // Environment.
            "pm25", SDM + "dataModel.Environment/pm25",
            "pm10", SDM + "dataModel.Environment/pm10",
            "no2", SDM + "dataModel.Environment/no2",
            "o3", SDM + "dataModel.Environment/o3",
            "LAeq", SDM + "dataModel.Environment/LAeq",
            "dateObservedFrom", SDM + "dataModel.Environment/dateObservedFrom",
            "dateObservedTo", SDM + "dataModel.Environment/dateObservedTo",
            // Parking.
            "category", SDM + "dataModel.Parking/category",
            "refParkingSite", SDM + "dataModel.Parking/refParkingSite",
            "totalSpotNumber", SDM + "dataModel.Parking/totalSpotNumber",
            "occupiedSpotNumber", SDM + "dataModel.Parking/occupiedSpotNumber",
            "availableSpotNumber", SDM + "dataModel.Parking/availableSpotNumber",
            "occupancyDetectionType", SDM + "dataModel.Parking/occupancyDetectionType",
            "observationDateTime", SDM + "dataModel.Parking/observationDateTime",
            // Water.
            "waterConsumption", SDM + "dataModel.WaterConsumption/waterConsumption",
            // Energy.
            "totalActiveEnergyImport", SDM + "dataModel.Energy/totalActiveEnergyImport",
            "totalActivePower", SDM + "dataModel.Energy/totalActivePower",
            // GreenEnergy.
            "activePower", SDM + "dataModel.GreenEnergy/activePower",
            "refPhotovoltaicDevice", SDM + "dataModel.GreenEnergy/refPhotovoltaicDevice",
            "temperature", SDM + "dataModel.GreenEnergy/temperature",
            "dateEnergyMeteringStarted", SDM + "dataModel.GreenEnergy/dateEnergyMeteringStarted");

    /** The types published; sites are derived from the parking sensors that name them. */
    public static final List<String> TYPES = List.of("AirQualityObserved", "NoiseLevelObserved", "ParkingSpot", "OffStreetParking",
            "OnStreetParking", "WaterConsumptionObserved", "ThreePhaseAcMeasurement", "PhotovoltaicMeasurement");

    /** The site types, made of parking spots. */
    public static final List<String> SITE_TYPES = List.of("OffStreetParking", "OnStreetParking");

    private NgsiLd() {
    }

    /** One attribute of an entity: a Property (with an optional unit and observation time), a GeoProperty or a Relationship. */
    public record Attribute(String name, Kind kind, Object value, String unitCode, Instant observedAt) {
        public enum Kind { PROPERTY, DATE_TIME, GEO_POINT, RELATIONSHIP }
    }

    /** An entity, before it is written in one of NGSI-LD's representations. */
    public record Entity(String id, String type, List<Attribute> attributes) {
        public Attribute attribute(String name) {
            return attributes.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        }

        /** The point of its location, or null. */
        public double[] point() {
            Attribute location = attribute("location");
            return location == null ? null : (double[]) location.value();
        }
    }

    /**
     * Terms two domains map to different IRIs, scoped to the type that uses the other domain's
     * (a JSON-LD 1.1 type-scoped context): an electricity meter's dateEnergyMeteringStarted is
     * dataModel.Energy's, a solar production's dataModel.GreenEnergy's.
     */
    private static final Map<String, Map<String, String>> SCOPED = Map.of(
            "ThreePhaseAcMeasurement", Map.of("dateEnergyMeteringStarted", SDM + "dataModel.Energy/dateEnergyMeteringStarted"));

    /** The context document served at {@link #CONTEXT_PATH}: the platform's terms, each to its Smart Data Models IRI. */
    public static Map<String, Object> context() {
        Map<String, Object> terms = new LinkedHashMap<>(TERMS);
        SCOPED.forEach((type, scoped) -> terms.put(type, Map.of("@id", TERMS.get(type), "@context", scoped)));
        return Map.of("@context", terms);
    }

    public static Map<String, String> terms() {
        return TERMS;
    }

    /** The entity type a device of this kind maps to, or null when it has none (home, health devices, locks, heat meters). */
    public static String type(DeviceKind kind) {
        return switch (kind) {
            case AIR_QUALITY -> "AirQualityObserved";
            case NOISE -> "NoiseLevelObserved";
            case PARKING_SENSOR -> "ParkingSpot";
            case WATER_METER -> "WaterConsumptionObserved";
            case ELECTRICITY_METER -> "ThreePhaseAcMeasurement";
            case PV_PRODUCTION -> "PhotovoltaicMeasurement";
            default -> null;
        };
    }

    public static String type(Device device) {
        return type(device.kind());
    }

    /** The kind of device an entity type stands for (sites stand for parking sensors), or null. */
    public static DeviceKind kind(String type) {
        if (SITE_TYPES.contains(type)) {
            return DeviceKind.PARKING_SENSOR;
        }
        return Arrays.stream(DeviceKind.values()).filter(k -> type.equals(type(k))).findFirst().orElse(null);
    }

    /**
     * The id of the parking site a sensor's spot belongs to, as its registration names it: the
     * bookable parking resource it watches is an off-street site ({@code OffStreetParking},
     * named by district and resource, so that the district's sensors find its spots); a sensor
     * watching no resource is a spot of its district's on-street parking.
     */
    public static String site(Device sensor) {
        return sensor.resourceId() != null
                ? URN + "OffStreetParking:" + sensor.district() + ":" + sensor.resourceId()
                : URN + "OnStreetParking:" + sensor.district();
    }

    /**
     * Whether a device's entity can be published: schemas that require a location (all but
     * water and electricity meters) get none from a device registered without one.
     */
    public static boolean publishable(Device device) {
        String type = type(device);
        return type != null && !device.personal()
                && (device.latitude() != null || type.equals("WaterConsumptionObserved") || type.equals("ThreePhaseAcMeasurement"));
    }

    /**
     * A device's entity from its latest reading; {@code previous} is the reading before it, which
     * opens a noise level's observation window (a sound level meter's LAeq is integrated since
     * its previous report).
     */
    public static Entity entity(Device device, Reading latest, Reading previous) {
        String type = type(device);
        if (type == null) {
            throw new IllegalArgumentException(device.kind() + " has no Smart Data Model here");
        }
        List<Attribute> a = new ArrayList<>();
        Instant at = latest.at();
        Map<String, Double> v = latest.values();
        switch (device.kind()) {
            case AIR_QUALITY -> {
                // GQ: microgram per cubic metre, the models' unit for pollutant concentrations.
                measure(a, "pm25", v.get("pm2_5_ugm3"), "GQ", at);
                measure(a, "pm10", v.get("pm10_ugm3"), "GQ", at);
                measure(a, "no2", v.get("no2_ugm3"), "GQ", at);
                measure(a, "o3", v.get("o3_ugm3"), "GQ", at);
                a.add(date("dateObserved", at));
            }
            case NOISE -> {
                // 2N: decibel. The window opens at the previous report, or at registration for the first one.
                Instant from = previous != null ? previous.at()
                        : device.createdAt() != null && device.createdAt().isBefore(at) ? device.createdAt() : at;
                measure(a, "LAeq", v.get("laeq_db"), "2N", at);
                a.add(date("dateObservedFrom", from));
                a.add(date("dateObservedTo", at));
                // The model's dateObserved is the window as an ISO 8601 interval.
                a.add(new Attribute("dateObserved", Attribute.Kind.PROPERTY, from + "/" + at, null, null));
            }
            case PARKING_SENSOR -> {
                Double occupied = v.get("occupied");
                a.add(new Attribute("status", Attribute.Kind.PROPERTY, occupied == null ? "unknown" : occupied > 0.5 ? "occupied" : "free",
                        null, at));
                a.add(new Attribute("category", Attribute.Kind.PROPERTY, List.of(device.resourceId() != null ? "offStreet" : "onStreet"),
                        null, null));
                a.add(new Attribute("refParkingSite", Attribute.Kind.RELATIONSHIP, site(device), null, null));
            }
            case WATER_METER -> {
                // The model's waterConsumption is the meter's index, an integer of cubic metres
                // (MTQ): the whole cubic metres that have passed, as the meter's black digits show.
                Double litres = v.get("volume_l");
                // The model has no dateObserved: the index's observedAt says when it was read.
                measure(a, "waterConsumption", litres == null ? null : (long) Math.floor(litres / 1000), "MTQ", at);
            }
            case ELECTRICITY_METER -> {
                // The model states kWh for the energy index and watts for power (KWH, WTT).
                measure(a, "totalActiveEnergyImport", v.get("energy_kwh"), "KWH", at);
                measure(a, "totalActivePower", v.get("power_w"), "WTT", at);
                if (device.createdAt() != null) {
                    a.add(date("dateEnergyMeteringStarted", device.createdAt()));
                }
            }
            case PV_PRODUCTION -> {
                // The model states kilowatts (KWT) for activePower. It has no cumulative energy
                // attribute: the production index stays in the platform's own readings.
                Double watts = v.get("power_w");
                measure(a, "activePower", watts == null ? null : watts / 1000, "KWT", at);
                // Measured by the inverter when it sends it; the schema requires it and admits no
                // "not measured" value, so an inverter that sends none yields an entity without it.
                measure(a, "temperature", v.get("temperature_c"), "CEL", at);
                a.add(new Attribute("refPhotovoltaicDevice", Attribute.Kind.RELATIONSHIP, URN + "PhotovoltaicDevice:" + device.id(), null, null));
                // Metering starts when the platform registers the installation.
                a.add(date("dateEnergyMeteringStarted", device.createdAt() != null ? device.createdAt() : at));
                a.add(date("dateObserved", at));
            }
            default -> throw new IllegalArgumentException(device.kind() + " has no Smart Data Model here");
        }
        if (device.latitude() != null) {
            a.add(new Attribute("location", Attribute.Kind.GEO_POINT, new double[] {device.longitude(), device.latitude()}, null, null));
        }
        a.add(new Attribute("areaServed", Attribute.Kind.PROPERTY, device.district(), null, null));
        return new Entity(URN + type + ":" + device.id(), type, a);
    }

    /** One sensor of a site, with its latest reading (or none yet). */
    public record Spot(Device sensor, Reading latest) {
    }

    /**
     * A parking site from the spots whose sensors name it: its counts of spots, occupied and
     * free ones, when it was last observed, and its location as the centre of its spots.
     */
    public static Entity site(String id, String type, String district, List<Spot> spots) {
        List<Attribute> a = new ArrayList<>();
        long occupied = 0;
        long known = 0;
        Instant observed = null;
        double lon = 0;
        double lat = 0;
        int located = 0;
        for (Spot s : spots) {
            if (s.latest() != null && s.latest().values().get("occupied") != null) {
                known++;
                occupied += s.latest().values().get("occupied") > 0.5 ? 1 : 0;
                observed = observed == null || s.latest().at().isAfter(observed) ? s.latest().at() : observed;
            }
            if (s.sensor().latitude() != null) {
                lon += s.sensor().longitude();
                lat += s.sensor().latitude();
                located++;
            }
        }
        a.add(new Attribute("totalSpotNumber", Attribute.Kind.PROPERTY, (long) spots.size(), null, null));
        if (known == spots.size()) {
            // Counts only when every spot has reported: a spot never heard from is neither free nor occupied.
            a.add(new Attribute("occupiedSpotNumber", Attribute.Kind.PROPERTY, occupied, null, observed));
            a.add(new Attribute("availableSpotNumber", Attribute.Kind.PROPERTY, known - occupied, null, observed));
        }
        if (observed != null) {
            a.add(date("observationDateTime", observed));
        }
        a.add(new Attribute("occupancyDetectionType", Attribute.Kind.PROPERTY, List.of("singleSpaceDetection"), null, null));
        if (located > 0) {
            a.add(new Attribute("location", Attribute.Kind.GEO_POINT, new double[] {lon / located, lat / located}, null, null));
        }
        a.add(new Attribute("areaServed", Attribute.Kind.PROPERTY, district, null, null));
        return new Entity(id, type, a);
    }

    /** The normalized representation (clause 4.5.2): each attribute an object with its type. */
    public static Map<String, Object> normalized(Entity entity, boolean withContext, String contextUrl) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", entity.id());
        e.put("type", entity.type());
        for (Attribute a : entity.attributes()) {
            Map<String, Object> attr = new LinkedHashMap<>();
            switch (a.kind()) {
                case PROPERTY -> {
                    attr.put("type", "Property");
                    attr.put("value", a.value());
                }
                case DATE_TIME -> {
                    attr.put("type", "Property");
                    attr.put("value", Map.of("@type", "DateTime", "@value", time(a.value())));
                }
                case GEO_POINT -> {
                    attr.put("type", "GeoProperty");
                    attr.put("value", point((double[]) a.value()));
                }
                case RELATIONSHIP -> {
                    attr.put("type", "Relationship");
                    attr.put("object", a.value());
                }
            }
            if (a.unitCode() != null) {
                attr.put("unitCode", a.unitCode());
            }
            if (a.observedAt() != null) {
                attr.put("observedAt", org.territoire.shared.json.Json.time(a.observedAt()));
            }
            e.put(a.name(), attr);
        }
        if (withContext) {
            e.put("@context", List.of(contextUrl, CORE_CONTEXT));
        }
        return e;
    }

    /** NGSI-LD DateTime values as every time the API answers: UTC to the millisecond (an interval stays as it is). */
    private static String time(Object value) {
        return value instanceof Instant at ? org.territoire.shared.json.Json.time(at) : value.toString();
    }

    /** The concise key-values representation (options=keyValues, clause 4.5.4): each attribute its value only. */
    public static Map<String, Object> keyValues(Entity entity, boolean withContext, String contextUrl) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", entity.id());
        e.put("type", entity.type());
        for (Attribute a : entity.attributes()) {
            e.put(a.name(), switch (a.kind()) {
                case PROPERTY, RELATIONSHIP -> a.value();
                case DATE_TIME -> time(a.value());
                case GEO_POINT -> point((double[]) a.value());
            });
        }
        if (withContext) {
            e.put("@context", List.of(contextUrl, CORE_CONTEXT));
        }
        return e;
    }

    private static Map<String, Object> point(double[] lonLat) {
        return Map.of("type", "Point", "coordinates", List.of(lonLat[0], lonLat[1]));
    }

    private static void measure(List<Attribute> a, String name, Number value, String unit, Instant at) {
        if (value != null) {
            a.add(new Attribute(name, Attribute.Kind.PROPERTY, value, unit, at));
        }
    }

    private static Attribute date(String name, Instant at) {
        return new Attribute(name, Attribute.Kind.DATE_TIME, at, null, null);
    }

    private static Map<String, String> terms(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
