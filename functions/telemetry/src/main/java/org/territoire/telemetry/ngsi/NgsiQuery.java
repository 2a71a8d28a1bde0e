package org.territoire.telemetry.ngsi;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.json.Json;

/**
 * The subset of NGSI-LD's query language (ETSI GS CIM 009, clause 4.9) and geo-queries
 * (clause 4.10) the platform answers: {@code q} as comparisons joined by {@code ;} (and),
 * one of which names the district ({@code areaServed=="centre"}, the partition a query reads);
 * {@code georel=near;maxDistance==m} (or {@code minDistance}) around a Point, and
 * {@code georel=within} a Polygon, on the entities' location. Anything else is refused by name.
 */
public record NgsiQuery(String district, List<Condition> conditions, Geo geo) {
    private static final Pattern COMPARISON = Pattern.compile("([A-Za-z][A-Za-z0-9_]{0,63})(==|!=|>=|<=|>|<)(.{1,200})");
    private static final Pattern DISTRICT = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]{1,15}(\\.[0-9]{1,15})?");
    private static final double EARTH_RADIUS_M = 6_371_008.8;

    /** One comparison of an attribute's value with a number, a string or a date-time. */
    public record Condition(String attribute, String op, Object value) {
        boolean matches(NgsiLd.Entity entity) {
            NgsiLd.Attribute a = entity.attribute(attribute);
            if (a == null || a.kind() == NgsiLd.Attribute.Kind.GEO_POINT) {
                return false;
            }
            if (a.value() instanceof List<?> list) {
                // A list matches == when one of its elements does (clause 4.9), != when none does.
                boolean any = list.stream().anyMatch(item -> compare(item, "=="));
                return op.equals("==") ? any : op.equals("!=") && !any;
            }
            return compare(a.value(), op);
        }

        private boolean compare(Object actual, String operator) {
            Integer c = null;
            if (actual instanceof Number n && value instanceof Double d) {
                c = Double.compare(n.doubleValue(), d);
            } else if (actual instanceof Instant i && value instanceof Instant d) {
                c = i.compareTo(d);
            } else if (actual instanceof String s && value instanceof String d) {
                c = s.compareTo(d);
            }
            if (c == null) {
                return false;
            }
            return switch (operator) {
                case "==" -> c == 0;
                case "!=" -> c != 0;
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                case "<" -> c < 0;
                default -> c <= 0;
            };
        }
    }

    /** A geo-query on the location: near a point (within or beyond a distance), or within a polygon. */
    public record Geo(boolean near, double maxDistance, double minDistance, double[] point, List<List<double[]>> polygon) {
        boolean matches(NgsiLd.Entity entity) {
            double[] p = entity.point();
            if (p == null) {
                return false;
            }
            if (near) {
                double d = distance(point, p);
                return d <= maxDistance && d >= minDistance;
            }
            // Inside the outer ring and outside every hole (GeoJSON polygons, RFC 7946 section 3.1.6).
            if (!inside(polygon.get(0), p)) {
                return false;
            }
            return polygon.stream().skip(1).noneMatch(hole -> inside(hole, p));
        }
    }

    public boolean matches(NgsiLd.Entity entity) {
        return conditions.stream().allMatch(c -> c.matches(entity)) && (geo == null || geo.matches(entity));
    }

    public static NgsiQuery parse(String q, Optional<String> georel, Optional<String> geometry, Optional<String> coordinates) {
        if (q == null || q.isBlank()) {
            throw DomainError.invalid("q", "is required and names the district: areaServed==\"<district>\"");
        }
        List<Condition> conditions = new ArrayList<>();
        String district = null;
        for (String part : q.split(";", -1)) {
            Matcher m = COMPARISON.matcher(part);
            if (!m.matches()) {
                throw DomainError.invalid("q", "must be comparisons joined by ';', each attribute==value (or !=, >, >=, <, <=), "
                        + "a value being a number, a \"quoted string\" or a date-time; or, | and parentheses are not supported");
            }
            Object value = literal(m.group(3));
            conditions.add(new Condition(m.group(1), m.group(2), value));
            if (m.group(1).equals("areaServed") && m.group(2).equals("==") && value instanceof String s) {
                if (!DISTRICT.matcher(s).matches()) {
                    throw DomainError.invalid("q", "areaServed names a district: lowercase letters, digits and hyphens");
                }
                if (district != null && !district.equals(s)) {
                    throw DomainError.invalid("q", "names one district only");
                }
                district = s;
            }
        }
        if (district == null) {
            throw DomainError.invalid("q", "must name the district with areaServed==\"<district>\": entities are read a district at a time");
        }
        return new NgsiQuery(district, conditions, georel.map(g -> geo(g, geometry, coordinates)).orElse(null));
    }

    private static Object literal(String text) {
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"") && text.indexOf('"', 1) == text.length() - 1) {
            return text.substring(1, text.length() - 1);
        }
        if (NUMBER.matcher(text).matches()) {
            return Double.valueOf(text);
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw DomainError.invalid("q", "a value is a number, a \"quoted string\" or a date-time such as 2026-11-25T08:00:00Z");
        }
    }

    private static Geo geo(String georel, Optional<String> geometry, Optional<String> coordinates) {
        String type = geometry.orElseThrow(() -> DomainError.invalid("geometry", "is required with georel: Point for near, Polygon for within"));
        JsonNode coords;
        try {
            coords = Json.tree(coordinates.orElseThrow(() -> DomainError.invalid("coordinates", "is required with georel")));
        } catch (DomainError e) {
            throw e;
        } catch (RuntimeException e) {
            throw DomainError.invalid("coordinates", "must be a GeoJSON coordinates array");
        }
        Matcher near = Pattern.compile("near;(maxDistance|minDistance)==([0-9]{1,8}(\\.[0-9]{1,6})?)").matcher(georel);
        if (near.matches()) {
            if (!type.equals("Point")) {
                throw DomainError.invalid("geometry", "must be Point with georel=near");
            }
            double distance = Double.parseDouble(near.group(2));
            boolean max = near.group(1).equals("maxDistance");
            return new Geo(true, max ? distance : Double.MAX_VALUE, max ? 0 : distance, position(coords), null);
        }
        if (georel.equals("within")) {
            if (!type.equals("Polygon")) {
                throw DomainError.invalid("geometry", "must be Polygon with georel=within");
            }
            if (!coords.isArray() || coords.isEmpty() || coords.size() > 10) {
                throw DomainError.invalid("coordinates", "must be a Polygon's rings: [[[lon,lat],...]], at most 10 rings");
            }
            List<List<double[]>> rings = new ArrayList<>();
            for (JsonNode ring : coords) {
                if (!ring.isArray() || ring.size() < 4 || ring.size() > 1000) {
                    throw DomainError.invalid("coordinates", "each ring of the Polygon has 4 to 1000 positions, the last equal to the first");
                }
                List<double[]> positions = new ArrayList<>();
                ring.forEach(p -> positions.add(position(p)));
                double[] first = positions.get(0);
                double[] last = positions.get(positions.size() - 1);
                if (first[0] != last[0] || first[1] != last[1]) {
                    throw DomainError.invalid("coordinates", "each ring of the Polygon ends where it starts");
                }
                rings.add(positions);
            }
            return new Geo(false, 0, 0, null, rings);
        }
        throw DomainError.invalid("georel", "must be near;maxDistance==<metres>, near;minDistance==<metres> or within");
    }

    private static double[] position(JsonNode p) {
        if (!p.isArray() || p.size() != 2 || !p.get(0).isNumber() || !p.get(1).isNumber()
                || Math.abs(p.get(0).asDouble()) > 180 || Math.abs(p.get(1).asDouble()) > 90) {
            throw DomainError.invalid("coordinates", "a position is [longitude, latitude] in degrees");
        }
        return new double[] {p.get(0).asDouble(), p.get(1).asDouble()};
    }

    /** Great-circle distance in metres (haversine on the mean Earth radius; NGSI-LD leaves the method to the broker). */
    static double distance(double[] a, double[] b) {
        double dLat = Math.toRadians(b[1] - a[1]);
        double dLon = Math.toRadians(b[0] - a[0]);
        double h = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(a[1])) * Math.cos(Math.toRadians(b[1])) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
    }

    /** Ray casting in longitude/latitude: exact enough for a district's polygons, which cross no pole nor antimeridian. */
    static boolean inside(List<double[]> ring, double[] p) {
        boolean in = false;
        for (int i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
            double[] a = ring.get(i);
            double[] b = ring.get(j);
            if ((a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0]) {
                in = !in;
            }
        }
        return in;
    }
}
