package org.territoire.telemetry.ngsi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.reading.Reading;

/**
 * A device's latest reading as a FIWARE Smart Data Model entity, in NGSI-LD normalized form
 * (https://smartdatamodels.org): AirQualityObserved, NoiseLevelObserved, ParkingSpot,
 * WaterConsumptionObserved, ThreePhaseAcMeasurement for electricity and heat meters,
 * PhotovoltaicMeasurement for solar production. Units are UN/CEFACT codes.
 */
public final class NgsiLd {
    public static final String CONTEXT = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld";
    private static final String SMART_DATA_MODELS = "https://raw.githubusercontent.com/smart-data-models/data-models/master/context.jsonld";

    private NgsiLd() {
    }

    /** The entity type a device of this kind maps to, or null when it has none (home, health devices, locks). */
    public static String type(Device device) {
        return switch (device.kind()) {
            case AIR_QUALITY -> "AirQualityObserved";
            case NOISE -> "NoiseLevelObserved";
            case PARKING_SENSOR -> "ParkingSpot";
            case WATER_METER -> "WaterConsumptionObserved";
            case ELECTRICITY_METER, HEAT_METER -> "ThreePhaseAcMeasurement";
            case PV_PRODUCTION -> "PhotovoltaicMeasurement";
            default -> null;
        };
    }

    /** The kinds whose devices an entity type stands for. */
    public static List<org.territoire.telemetry.device.DeviceKind> kinds(String type) {
        return java.util.Arrays.stream(org.territoire.telemetry.device.DeviceKind.values())
                .filter(k -> type.equals(type(new Device("x", k, "x", null, null, null, null, null, null, null)))).toList();
    }

    public static Map<String, Object> entity(Device device, Reading latest) {
        String type = type(device);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", "urn:ngsi-ld:" + type + ":" + device.id());
        e.put("type", type);
        String observed = org.territoire.shared.json.Json.time(latest.at());
        Map<String, Double> v = latest.values();
        switch (device.kind()) {
            case AIR_QUALITY -> {
                property(e, "pm25", v.get("pm2_5_ugm3"), "GQ", observed);
                property(e, "pm10", v.get("pm10_ugm3"), "GQ", observed);
                property(e, "no2", v.get("no2_ugm3"), "GQ", observed);
                property(e, "o3", v.get("o3_ugm3"), "GQ", observed);
                e.put("dateObserved", dateTime(observed));
            }
            case NOISE -> {
                property(e, "LAeq", v.get("laeq_db"), "2N", observed);
                e.put("dateObserved", dateTime(observed));
            }
            case PARKING_SENSOR -> {
                Double occupied = v.get("occupied");
                if (occupied != null) {
                    e.put("status", Map.of("type", "Property", "value", occupied > 0.5 ? "occupied" : "free", "observedAt", observed));
                }
                e.put("category", Map.of("type", "Property", "value", List.of("onStreet")));
            }
            case WATER_METER -> {
                // The index in cubic metres, as the model's waterConsumption is the meter reading.
                Double litres = v.get("volume_l");
                property(e, "waterConsumption", litres == null ? null : litres / 1000, "MTQ", observed);
                e.put("dateObserved", dateTime(observed));
            }
            case ELECTRICITY_METER, HEAT_METER -> {
                property(e, "totalActiveEnergyImport", v.get("energy_kwh"), "KWH", observed);
                Double watts = v.get("power_w");
                property(e, "totalActivePower", watts == null ? null : watts / 1000, "KWT", observed);
                e.put("dateObserved", dateTime(observed));
            }
            case PV_PRODUCTION -> {
                Double watts = v.get("power_w");
                property(e, "activePower", watts == null ? null : watts / 1000, "KWT", observed);
                property(e, "totalEnergyGenerated", v.get("energy_kwh"), "KWH", observed);
                e.put("dateObserved", dateTime(observed));
            }
            default -> throw new IllegalArgumentException(device.kind() + " has no Smart Data Model here");
        }
        if (device.latitude() != null) {
            e.put("location", Map.of("type", "GeoProperty", "value", Map.of("type", "Point",
                    "coordinates", List.of(device.longitude(), device.latitude()))));
        }
        e.put("areaServed", Map.of("type", "Property", "value", device.district()));
        e.put("@context", List.of(SMART_DATA_MODELS, CONTEXT));
        return e;
    }

    private static void property(Map<String, Object> e, String name, Double value, String unit, String observedAt) {
        if (value != null) {
            e.put(name, Map.of("type", "Property", "value", value, "unitCode", unit, "observedAt", observedAt));
        }
    }

    private static Map<String, Object> dateTime(String at) {
        return Map.of("type", "Property", "value", Map.of("@type", "DateTime", "@value", at));
    }
}
